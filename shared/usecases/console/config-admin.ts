import * as z from 'zod';
import { AppConfigSchema } from '../../config/config.js';
import { DepartementCodeSchema } from '../../domain/geography.js';
import { ConflictError } from '../../store/errors.js';
import { withOverrides } from '../config.js';
import type { Deps } from '../ports.js';
import type { StaffPrincipal } from '../principal.js';
import { ConsoleConflictError, ConsoleValidationError } from './errors.js';

/**
 * Admin changes to the configuration in force: open phases, département caps, territories with an active
 * deployment, networks with an agreement. They are stored as overrides of the file configuration, with a version
 * (optimistic locking: two admins cannot overwrite each other silently), and every change is recorded (who, when,
 * what) in the audit trail.
 */

const departement = DepartementCodeSchema;
const dueDays = z.number({ error: 'Un nombre de jours est attendu.' }).positive().max(365);
/** The steps that have a due date (AppConfig `console.dueDays`). */
const DUE_STEPS = [
  'waitlisted',
  'address_confirmation',
  'staff_review',
  'changes_requested',
  'actor_commitments',
  'final_approval',
] as const;

export const ConfigChangeSchema = z
  .object({
    /** The overrides version the admin's page read (0 when there were none). */
    version: z.number().int().min(0),
    set: z
      .object({
        phasesOpen: z
          .array(z.union([z.literal(1), z.literal(2), z.literal(3)]))
          .max(3)
          .optional(),
        volumeCaps: z.record(departement, z.number().int().min(0).max(100_000)).optional(),
        territoriesWithActiveDeployment: z.array(departement).max(120).optional(),
        networks: z
          .array(z.object({ name: z.string().trim().min(1).max(120), agreement: z.boolean() }).strict())
          .max(500)
          .optional(),
        /** Any of the section's keys; those not sent keep their value (merged, not replaced: withOverrides). */
        console: z
          .object({
            fourEyes: z.boolean().optional(),
            dueDays: z
              .object(
                Object.fromEntries(DUE_STEPS.map((step) => [step, dueDays.optional()])) as Record<
                  (typeof DUE_STEPS)[number],
                  z.ZodOptional<typeof dueDays>
                >,
              )
              .strict()
              .optional(),
            digestHourUtc: z.number().int().min(0).max(23).optional(),
          })
          .strict()
          .optional(),
        /** The webinars the chat announces (the whole list replaces the previous one). */
        webinars: z
          .array(
            z
              .object({
                startsAt: z.iso.datetime({ offset: true, error: 'Date et heure attendues (AAAA-MM-JJTHH:MM+01:00).' }),
                link: z.url({ protocol: /^https$/, error: 'Lien https:// attendu.' }).max(500),
                label: z.string().trim().min(1).max(120).optional(),
              })
              .strict(),
          )
          .max(100)
          .optional(),
      })
      .strict(),
  })
  .strict();

export type ConfigChange = z.infer<typeof ConfigChangeSchema>;

export async function getConfigView(deps: Deps) {
  const [config, overrides] = await Promise.all([deps.config(), deps.store.config.getOverrides()]);
  return {
    version: overrides?.version ?? 0,
    updatedAt: overrides?.updatedAt ?? null,
    updatedBy: overrides?.updatedBy ?? null,
    overrides: overrides?.data ?? {},
    effective: {
      phasesOpen: config.phasesOpen,
      volumeCaps: config.volumeCaps,
      territoriesWithActiveDeployment: config.territoriesWithActiveDeployment,
      networks: config.networks,
      webinars: config.webinars,
      console: config.console,
    },
  };
}

function issues(err: z.ZodError) {
  return err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

export async function updateConfig(deps: Deps, admin: StaffPrincipal, body: unknown) {
  const parsed = ConfigChangeSchema.safeParse(body);
  if (!parsed.success) throw new ConsoleValidationError('Modification invalide.', issues(parsed.error));
  const { version, set } = parsed.data;
  const current = await deps.store.config.getOverrides({ fresh: true });
  const currentVersion = current?.version ?? 0;
  if (currentVersion !== version) {
    throw new ConsoleConflictError('La configuration a été modifiée entre-temps : rechargez la page.', {
      version: currentVersion,
      updatedBy: current?.updatedBy ?? null,
      updatedAt: current?.updatedAt ?? null,
    });
  }
  // A section sent in part (`console: { fourEyes }`) keeps the keys an earlier change set.
  const data = withOverrides(current?.data ?? {}, set);
  // Validate the whole configuration that would be in force, not just the fragment.
  const candidate = AppConfigSchema.safeParse(withOverrides(await deps.config(), data));
  if (!candidate.success) throw new ConsoleValidationError('Configuration invalide.', issues(candidate.error));
  let saved: Awaited<ReturnType<typeof deps.store.config.putOverrides>>;
  try {
    saved = await deps.store.config.putOverrides(data, version, admin.email);
  } catch (err) {
    if (err instanceof ConflictError) {
      throw new ConsoleConflictError('La configuration a été modifiée entre-temps : rechargez la page.');
    }
    throw err;
  }
  await deps.store.audit.record({
    who: admin.email,
    what: 'config.update',
    entity: 'config',
    data: { version: saved.version, set },
  });
  return getConfigView(deps);
}

/** Audit trail (admin page): most recent first. */
export async function listChanges(deps: Deps, q: { entity?: string; limit?: number }) {
  return { changes: await deps.store.audit.list({ entity: q.entity, limit: q.limit ?? 50 }) };
}
