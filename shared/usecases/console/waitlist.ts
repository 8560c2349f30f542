import * as z from 'zod';
import { DepartementCodeSchema } from '../../domain/geography.js';
import type { TaskItem } from '../../store/store.js';
import { completeTask } from '../decisions.js';
import type { Deps } from '../ports.js';
import type { StaffPrincipal } from '../principal.js';
import { ConsoleValidationError } from './errors.js';

export const ReleaseSchema = z
  .object({
    /** Only this département / phase (both optional). */
    departement: DepartementCodeSchema.optional(),
    phase: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    /** Count what would be released, change nothing. */
    dryRun: z.boolean().optional(),
    /** Upper bound per call (the rest stays for the next call). */
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

interface ReleaseResult {
  released: { taskId: string; applicationId: string }[];
  skipped: { taskId: string; applicationId: string; reason: string }[];
  failed: { taskId: string; applicationId: string; error: string }[];
  dryRun: boolean;
}

/**
 * Release waitlisted actors whose phase is now open and whose départements have room. Each release is the decision
 * `approve` on the open `waitlisted` task (claim first, then SendTaskSuccess): the state machine evaluates the
 * application again with today's configuration, which takes the département slot atomically. Releasing twice is
 * harmless: a task already decided is skipped.
 */
export async function releaseWaitlist(deps: Deps, admin: StaffPrincipal, body: unknown): Promise<ReleaseResult> {
  const parsed = ReleaseSchema.safeParse(body ?? {});
  if (!parsed.success) {
    throw new ConsoleValidationError(
      'Demande invalide.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const { departement, phase, dryRun = false, limit = 200 } = parsed.data;
  const config = await deps.config();
  const result: ReleaseResult = { released: [], skipped: [], failed: [], dryRun };
  // Room per département is counted here too, so one call does not release more than the caps allow.
  const room = new Map<string, number>();
  const roomIn = async (dep: string): Promise<number> => {
    const cap = config.volumeCaps[dep];
    if (cap === undefined) return Number.POSITIVE_INFINITY;
    if (!room.has(dep)) room.set(dep, Math.max(0, cap - (await deps.store.counters.get(dep))));
    return room.get(dep) ?? 0;
  };

  let cursor: string | undefined;
  do {
    const page = await deps.store.tasks.inbox(
      { step: 'waitlisted', ...(departement ? { departement } : {}), ...(phase ? { phase } : {}) },
      { limit: 100, cursor },
    );
    for (const task of page.tasks) {
      if (result.released.length >= limit) break;
      const ids = { taskId: task.taskId, applicationId: task.applicationId };
      const why = await blocker(task, config.phasesOpen, roomIn);
      if (why) {
        result.skipped.push({ ...ids, reason: why });
        continue;
      }
      if (dryRun) {
        result.released.push(ids);
        continue;
      }
      try {
        await completeTask(deps, task.taskId, {
          decision: 'approve',
          comment: "Libération de la liste d'attente",
          by: admin.email,
          byKind: 'staff',
        });
        for (const d of task.departements) if (room.has(d)) room.set(d, (room.get(d) ?? 1) - 1);
        result.released.push(ids);
      } catch (err) {
        result.failed.push({ ...ids, error: (err as Error).name });
      }
    }
    cursor = result.released.length >= limit ? undefined : page.next;
  } while (cursor);

  if (!dryRun) {
    await deps.store.audit.record({
      who: admin.email,
      what: 'waitlist.release',
      entity: 'waitlist',
      data: {
        filter: { departement: departement ?? null, phase: phase ?? null },
        released: result.released.length,
        skipped: result.skipped.length,
        failed: result.failed.length,
        applications: result.released.map((r) => r.applicationId).slice(0, 200),
      },
    });
  }
  return result;
}

async function blocker(
  task: TaskItem,
  phasesOpen: readonly number[],
  roomIn: (dep: string) => Promise<number>,
): Promise<string | null> {
  if (task.phase !== null && !phasesOpen.includes(task.phase)) return `phase ${task.phase} fermée`;
  for (const d of task.departements) {
    if ((await roomIn(d)) <= 0) return `plafond atteint dans le ${d}`;
  }
  return null;
}
