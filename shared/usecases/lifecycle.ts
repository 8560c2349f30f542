import * as z from 'zod';
import { resolvePlaces } from '../domain/application.js';
import { ValidationError } from '../domain/errors.js';
import { endedWithoutQualification, lifecycleTransition, type PathEvent, type Stage } from '../domain/path.js';
import { ConflictError } from '../store/errors.js';
import type { ApplicationItem, ApplicationPatch } from '../store/store.js';
import { recordStaffEvent } from './console/history.js';
import { ApplicationNotFoundError, WrongStageError } from './errors.js';
import { tellActor } from './notify.js';
import { publishedPlacesWithCoordinates } from './place-coordinates.js';
import type { Deps } from './ports.js';
import { type Principal, requireActor, type StaffPrincipal } from './principal.js';

/**
 * Lifecycle hygiene after (or instead of) the qualification path: what an application gives back when it ends without
 * qualification (its SIRET, its département slot), and the staff moves on a qualification (suspend, reinstate,
 * withdraw). These are use cases, not states of the machine: the workflow has ended (or is stopped) when they run.
 */

async function load(deps: Deps, id: string): Promise<ApplicationItem> {
  const app = await deps.store.applications.get(id);
  if (!app) throw new ApplicationNotFoundError(id);
  return app;
}

/** A conditional update that reads again and re-applies on a version conflict (the workflow may write meanwhile). */
async function patchFresh(
  deps: Deps,
  first: ApplicationItem,
  patch: (current: ApplicationItem) => ApplicationPatch | null,
): Promise<{ app: ApplicationItem; written: boolean }> {
  let current = first;
  for (let attempt = 0; ; attempt++) {
    const p = patch(current);
    if (!p) return { app: current, written: false };
    try {
      return { app: await deps.store.applications.update(current.id, current.version, p), written: true };
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 4) throw err;
      current = await load(deps, first.id);
    }
  }
}

/**
 * An application ended without qualification gives back what it took: its département slot (at once) and its SIRET
 * (at once, except `rejected`: after `retention.rejectedSiretDays`, by the retention job, or earlier by staff).
 * Idempotent: `admittedIn` is cleared in the same conditional write that decides the decrement, so a retried call
 * never gives a slot back twice (a crash between the two leaks one slot rather than over-admitting).
 */
export async function settleEnd(deps: Deps, app: ApplicationItem): Promise<ApplicationItem> {
  if (!endedWithoutQualification(app.stage)) return app;
  const config = await deps.config();
  const now = deps.clock().toISOString();
  const releaseNow =
    Boolean(app.siret) &&
    !app.siretReleasedAt &&
    (app.stage !== 'rejected' || config.retention.rejectedSiretDays === 0);
  // The claim first: releasing it is conditional on this application holding it, so a retry is harmless.
  if (releaseNow && app.siret) await deps.store.applications.releaseSiret(app.siret, app.id);
  let slot: string | null = null;
  const { app: done } = await patchFresh(deps, app, (current) => {
    slot = current.admittedIn ?? null;
    const patch: ApplicationPatch = {};
    if (!current.endedAt) patch.endedAt = now;
    if (current.admittedIn) patch.admittedIn = null;
    if (releaseNow && !current.siretReleasedAt) patch.siretReleasedAt = now;
    return Object.keys(patch).length ? { ...patch, updatedAt: current.updatedAt } : null;
  });
  if (slot && done.admittedIn === null) await deps.store.counters.decrement(slot);
  return done;
}

/** Gives the SIRET back now (the retention job after the delay, staff earlier). False when it was already free. */
export async function releaseSiretOf(deps: Deps, app: ApplicationItem): Promise<ApplicationItem> {
  if (app.siret) await deps.store.applications.releaseSiret(app.siret, app.id);
  const now = deps.clock().toISOString();
  const { app: done } = await patchFresh(deps, app, (current) =>
    current.siretReleasedAt ? null : { siretReleasedAt: now, updatedAt: current.updatedAt },
  );
  return done;
}

export const ReasonSchema = z
  .object({
    reason: z
      .string({ error: 'Indiquez la raison (elle est gardée dans l’historique et transmise à l’acteur).' })
      .trim()
      .min(3, 'Indiquez la raison (3 caractères au moins).')
      .max(2000, 'La raison ne doit pas dépasser 2 000 caractères.'),
  })
  .strict();

export const OptionalReasonSchema = z.object({ reason: ReasonSchema.shape.reason.optional() }).strict();

function parseReason<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    throw new ValidationError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  return parsed.data;
}

/** POST /api/console/applications/:id/release-siret (admin): the SIRET of an ended application, before its delay. */
export async function staffReleaseSiret(
  deps: Deps,
  staff: StaffPrincipal,
  id: string,
  body: unknown,
): Promise<{ id: string; siretReleased: boolean }> {
  const { reason } = parseReason(OptionalReasonSchema, body);
  const app = await load(deps, id);
  // A running application or a qualification holds its SIRET on purpose ("a SIRET qualifies once").
  if (!endedWithoutQualification(app.stage) && app.stage !== 'failed') {
    throw new WrongStageError(
      'Le SIRET ne peut être libéré que pour une demande terminée sans qualification.',
      app.stage,
    );
  }
  if (app.siretReleasedAt || !app.siret) return { id, siretReleased: false };
  await releaseSiretOf(deps, app);
  await recordStaffEvent(deps, staff, id, {
    type: 'siret_released',
    stage: app.stage,
    ...(reason ? { comment: reason } : {}),
  });
  await deps.store.audit.record({ who: staff.email, what: 'siret.release', entity: `application:${id}` });
  return { id, siretReleased: true };
}

type StaffMove = 'suspended' | 'reinstated' | 'withdrawn';

const MOVE_TEXT: Record<StaffMove, { subject: string; text: (reason: string | undefined) => string }> = {
  suspended: {
    subject: 'Votre qualification #APTIC est suspendue',
    text: (reason) =>
      `L'équipe #APTIC a suspendu votre qualification ; vos lieux ne sont plus affichés sur la carte pendant la suspension. Motif : ${reason ?? 'non précisé'}. Vous pouvez écrire au support pour en parler.`,
  },
  reinstated: {
    subject: 'Votre qualification #APTIC est rétablie',
    text: () =>
      "L'équipe #APTIC a levé la suspension de votre qualification. Vos lieux réapparaissent sur la carte si vous avez accepté leur publication.",
  },
  withdrawn: {
    subject: 'Votre qualification #APTIC est retirée',
    text: (reason) =>
      `L'équipe #APTIC a retiré votre qualification ; vos lieux ne sont plus affichés sur la carte. Motif : ${reason ?? 'non précisé'}. Vous pouvez écrire au support pour en parler.`,
  },
};

const MOVE_ERROR: Record<StaffMove, string> = {
  suspended: 'Seule une qualification en cours peut être suspendue.',
  reinstated: 'Seule une qualification suspendue peut être rétablie.',
  withdrawn: 'Seule une qualification (en cours ou suspendue) peut être retirée.',
};

/**
 * POST /api/console/applications/:id/suspend | reinstate | withdraw (admin), with a reason: the stage moves along
 * LIFECYCLE_TRANSITIONS, places leave (or come back to) the map, the history keeps who and why, the actor is told.
 * A withdrawal ends the application: its SIRET and its slot are given back (settleEnd).
 */
export async function staffLifecycleMove(
  deps: Deps,
  staff: StaffPrincipal,
  id: string,
  move: StaffMove,
  body: unknown,
): Promise<{ id: string; stage: Stage }> {
  const { reason } = parseReason(move === 'reinstated' ? OptionalReasonSchema : ReasonSchema, body);
  const app = await load(deps, id);
  const from = app.stage;
  if (from !== 'qualified' && from !== 'suspended') throw new WrongStageError(MOVE_ERROR[move], from);
  let to: Stage;
  try {
    to = lifecycleTransition(from, move as PathEvent);
  } catch {
    throw new WrongStageError(MOVE_ERROR[move], from);
  }
  const now = deps.clock();
  const at = now.toISOString();
  const { app: moved } = await patchFresh(deps, app, (current) => {
    if (current.stage !== from) throw new WrongStageError(MOVE_ERROR[move], current.stage);
    return {
      stage: to,
      suspension: to === 'suspended' ? { by: staff.email, at, reason: reason ?? '' } : null,
      updatedAt: at,
    };
  });
  // The map follows the stage: off for a suspension or a withdrawal, back (if the actor agreed) on reinstatement.
  const publish =
    to === 'qualified' &&
    (moved.document as { engagements?: { publication?: boolean } }).engagements?.publication === true;
  await deps.store.places.replace(
    id,
    publish ? await publishedPlacesWithCoordinates(deps, moved, resolvePlaces(moved.document as never), now) : [],
  );
  const event = await recordStaffEvent(deps, staff, id, {
    type: move,
    stage: to,
    ...(reason ? { comment: reason } : {}),
  });
  await deps.store.audit.record({
    who: staff.email,
    what: `qualification.${move === 'suspended' ? 'suspend' : move === 'reinstated' ? 'reinstate' : 'withdraw'}`,
    entity: `application:${id}`,
  });
  const text = MOVE_TEXT[move];
  await tellActor(deps, moved, {
    key: `${event.key}#${move}`,
    stage: to,
    subject: text.subject,
    text: text.text(reason),
  });
  if (to === 'withdrawn') await settleEnd(deps, moved);
  return { id, stage: to };
}

/**
 * POST /api/applications/:id/end-qualification (the actor, with a reason): the actor's own withdrawal. Same move as
 * staff `withdraw` (stage `withdrawn`, places off the map at once, SIRET and slot given back, subscription ended),
 * audited, recorded in the history as the actor's, and the actor gets a message saying it is done.
 */
export async function actorEndQualification(
  deps: Deps,
  principal: Principal | null,
  id: string,
  body: unknown,
): Promise<{ id: string; stage: Stage }> {
  const { reason } = parseReason(ReasonSchema, body);
  requireActor(principal, id);
  const app = await load(deps, id);
  const message = 'Seule une qualification en cours (ou suspendue) peut être arrêtée.';
  if (app.stage !== 'qualified' && app.stage !== 'suspended') throw new WrongStageError(message, app.stage);
  const to = lifecycleTransition(app.stage, 'withdrawn');
  const at = deps.clock().toISOString();
  const { app: moved } = await patchFresh(deps, app, (current) => {
    if (current.stage !== 'qualified' && current.stage !== 'suspended') {
      throw new WrongStageError(message, current.stage);
    }
    return { stage: to, suspension: null, updatedAt: at };
  });
  // Off the map first: the actor asked for it and the map must not show the places a moment longer.
  await deps.store.places.replace(id, []);
  const key = `actor#${at}#${deps.newId()}`;
  await deps.store.history.append({
    applicationId: id,
    key,
    at,
    actor: { kind: 'actor', id },
    type: 'qualification_ended',
    stage: to,
    comment: reason,
  });
  // The who is the application, never a person's name or address (the audit is read by every admin).
  await deps.store.audit.record({ who: `actor:${id}`, what: 'qualification.end', entity: `application:${id}` });
  await tellActor(deps, moved, {
    key: `${key}#ended`,
    stage: to,
    subject: 'Vous avez mis fin à votre qualification #APTIC',
    text: 'Votre qualification #APTIC est terminée, comme vous l’avez demandé : vos lieux ne sont plus affichés sur la carte et votre abonnement au Kit s’arrête. Pour être à nouveau qualifié·e, faites une nouvelle demande.',
  });
  await settleEnd(deps, moved);
  return { id, stage: to };
}
