import * as z from 'zod';
import { type ApplicationDocument, isProducer } from '../domain/application.js';
import { ValidationError } from '../domain/errors.js';
import { transition } from '../domain/path.js';
import { ConflictError } from '../store/errors.js';
import type { ApplicationItem, ApplicationPatch, CommitmentChannel } from '../store/store.js';
import { indexApplicationAddresses } from './actor-sign-in.js';
import { completeTask } from './decisions.js';
import { ApplicationNotFoundError, CommitmentVersionError, StepNotOpenError } from './errors.js';
import { parseOrThrow } from './evaluate.js';
import type { Deps } from './ports.js';
import { actorApplication, type Principal, requireActor } from './principal.js';

/** The actor's commitments: all three are required to go on; anything else is a 400 with the reason. */
export const CommitmentsSchema = z
  .object({
    charte: z.literal(true, { error: 'Il faut accepter la Charte #APTIC pour être qualifié·e.' }),
    cgu: z.literal(true, { error: 'Il faut accepter les conditions générales pour être qualifié·e.' }),
    abonnement: z.literal('oui', {
      error: "Il faut confirmer l'abonnement au Kit #APTIC (« oui ») pour être qualifié·e.",
    }),
    /** The versions the actor was shown; absent = the ones in force (the original body keeps working). */
    versions: z
      .object({ charte: z.string().min(1).max(40).optional(), cgu: z.string().min(1).max(40).optional() })
      .strict()
      .optional(),
    /** Which client: the actor space says `espace`; any other API client is `api` (the chat passes `chat` itself). */
    canal: z.enum(['espace', 'api']).optional(),
  })
  .strict();

async function openStep(
  deps: Deps,
  principal: Principal | null,
  id: string,
  step: 'actor_commitments' | 'changes_requested',
) {
  const actor = requireActor(principal, id);
  const app = actorApplication(actor, id) ?? (await deps.store.applications.get(id));
  if (!app) throw new ApplicationNotFoundError(id);
  // The open task is what says the step is open: it is written just before the stage moves (open-task), so a
  // client that saw the task must not be refused because the stage write is a few ms behind.
  const task = await deps.store.tasks.get(await deps.store.tasks.idFor(app.id, step, app.round));
  if (!task || task.status !== 'open') throw new StepNotOpenError(step, app.stage);
  return { app, task };
}

/**
 * The actor's change to the application, made while the workflow may be moving the same item (open-task writes the
 * stage a moment after the task): on a version conflict, read again and re-apply, as long as the round is still the
 * task's (a second, concurrent resubmission finds the round moved and is refused instead of bumping it twice).
 */
async function patchInRound(
  deps: Deps,
  first: ApplicationItem,
  round: number,
  patch: (current: ApplicationItem) => ApplicationPatch,
): Promise<ApplicationItem> {
  let current: ApplicationItem | null = first;
  for (let attempt = 0; ; attempt++) {
    if (!current) throw new ApplicationNotFoundError(first.id);
    if (current.round !== round) throw new StepNotOpenError('same round', current.stage);
    try {
      return await deps.store.applications.update(current.id, current.version, patch(current));
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 4) throw err;
      current = await deps.store.applications.get(first.id);
    }
  }
}

function issuesOf(err: z.ZodError) {
  return err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/**
 * POST /api/applications/:id/commitments (the actor space, the chat's last actor step, any API client). Records which
 * versions of the Charte and the CGU were accepted, when and through which channel, and the Kit subscription with the
 * price and period in force (billing starts at qualification: GET /api/console/subscriptions).
 */
export async function submitCommitments(
  deps: Deps,
  principal: Principal | null,
  id: string,
  body: unknown,
  channel?: CommitmentChannel,
): Promise<{ stage: string; commitments: NonNullable<ApplicationItem['commitments']> }> {
  const parsed = CommitmentsSchema.safeParse(body);
  if (!parsed.success) throw new ValidationError(issuesOf(parsed.error));
  const config = await deps.config();
  const inForce = config.commitments;
  for (const name of ['charte', 'cgu'] as const) {
    const asked = parsed.data.versions?.[name];
    if (asked !== undefined && asked !== inForce[name].version) {
      throw new CommitmentVersionError(name, inForce[name].version);
    }
  }
  const { app, task } = await openStep(deps, principal, id, 'actor_commitments');
  const at = deps.clock().toISOString();
  const commitments = {
    charte: { version: inForce.charte.version, acceptedAt: at },
    cgu: { version: inForce.cgu.version, acceptedAt: at },
    channel: channel ?? parsed.data.canal ?? 'api',
    kit: { priceHtEur: config.kit.priceHtEur, period: config.kit.period },
  } satisfies ApplicationItem['commitments'];
  await patchInRound(deps, app, task.round, (current) => {
    const doc = current.document as ApplicationDocument & { engagements?: Record<string, unknown> };
    return {
      document: {
        ...doc,
        engagements: { ...(doc.engagements ?? {}), charte: true, cgu: true, abonnement: 'oui' },
      } as never,
      commitments,
      commitmentsAt: at,
      updatedAt: at,
    };
  });
  // Before the step completes: once final approval qualifies the application, billing finds the subscription.
  await deps.store.subscriptions.put({
    applicationId: app.id,
    acceptedAt: at,
    channel: commitments.channel,
    priceHtEur: commitments.kit.priceHtEur,
    period: commitments.kit.period,
    charteVersion: commitments.charte.version,
    cguVersion: commitments.cgu.version,
  });
  await completeTask(deps, task.taskId, { decision: 'approve', by: app.id, byKind: 'actor' });
  return { stage: 'final_approval', commitments };
}

/**
 * PUT /api/applications/:id: the corrected document, when staff asked for changes. The SIRET was claimed by this
 * application and cannot change here; the round increments so the next review is a new task.
 */
export async function resubmitApplication(
  deps: Deps,
  principal: Principal | null,
  id: string,
  body: unknown,
): Promise<{ stage: string; round: number }> {
  const doc = parseOrThrow(body);
  const { app, task } = await openStep(deps, principal, id, 'changes_requested');
  if ((isProducer(doc) ? doc.structure.siret : null) !== app.siret) {
    throw new ValidationError([
      { path: 'structure.siret', message: 'Le SIRET ne peut pas être modifié : contactez le support si nécessaire.' },
    ]);
  }
  const next: ApplicationItem = await patchInRound(deps, app, task.round, (current) => ({
    document: doc as never,
    round: current.round + 1,
    // The open task (not the stage, which may lag it by a moment) says the step is changes_requested.
    stage: transition(task.step, 'resubmitted'),
    updatedAt: deps.clock().toISOString(),
  }));
  // A changed address is found by its new lookup item; the old one goes stale (readers re-check the document).
  await indexApplicationAddresses(deps, next);
  await completeTask(deps, task.taskId, {
    decision: 'approve',
    by: app.id,
    byKind: 'actor',
    output: { round: next.round },
  });
  return { stage: 'submitted', round: next.round };
}
