import { HUMAN_STEPS } from '../domain/path.js';
import type { HistoryEvent } from '../store/store.js';
import { ApplicationNotFoundError } from './errors.js';
import type { Deps } from './ports.js';
import { type Principal, requireAccess } from './principal.js';

/**
 * GET /api/applications/:id. The actor sees its own application; staff see any, with who decided. Task tokens,
 * token hashes and internal error detail are never part of it.
 */
export async function getApplicationView(deps: Deps, principal: Principal | null, id: string) {
  const p = requireAccess(principal, id);
  const app = p.kind === 'actor' && p.application?.id === id ? p.application : await deps.store.applications.get(id);
  if (!app) throw new ApplicationNotFoundError(id);
  const [history, messages] = await Promise.all([deps.store.history.list(id), deps.store.outbox.list(id)]);
  const isStaff = p.kind === 'staff';
  return {
    id: app.id,
    stage: app.stage,
    status: app.status,
    phase: app.phase,
    route: app.route,
    round: app.round,
    flags: app.flags,
    reasons: app.reasons,
    openStep: (HUMAN_STEPS as readonly string[]).includes(app.stage) ? app.stage : null,
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
    history: (isStaff ? history : actorHistory(history)).map((e) => ({
      at: e.at,
      type: e.type,
      stage: e.stage ?? null,
      actor: isStaff ? e.actor : { kind: e.actor.kind },
      comment: e.comment ?? null,
    })),
    messages: messages.map((m) => ({ at: m.at, stage: m.stage, subject: m.subject, text: m.text })),
    ...(isStaff
      ? { document: app.document, campaign: app.campaign ?? null, error: app.error ? { name: app.error.name } : null }
      : {}),
  };
}

/**
 * The history as the actor may see it: staff internal notes (console comments, events of type `comment`) are left
 * out; a decision's comment, addressed to the actor, stays.
 */
export function actorHistory(events: HistoryEvent[]): HistoryEvent[] {
  return events.filter((e) => e.type !== 'comment');
}
