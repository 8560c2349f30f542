import { HUMAN_STEPS } from '../domain/path.js';
import type { HistoryEvent } from '../store/store.js';
import { SIGN_IN_MESSAGE_PREFIX } from './actor-sign-in.js';
import { ApplicationNotFoundError } from './errors.js';
import type { Deps } from './ports.js';
import { actorApplication, type Principal, requireAccess } from './principal.js';

/**
 * GET /api/applications/:id. The actor sees its own application; staff see any, with who decided. Task tokens,
 * token hashes and internal error detail are never part of it.
 */
export async function getApplicationView(deps: Deps, principal: Principal | null, id: string) {
  const p = requireAccess(principal, id);
  const app = actorApplication(p, id) ?? (await deps.store.applications.get(id));
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
    // Staff internal notes (console comments) never reach the actor (actorHistory); of staff words, only a decision's
    // comment (the reason of a refusal, the changes asked) is addressed to them.
    history: (isStaff ? history : actorHistory(history)).map((e) => ({
      at: e.at,
      type: e.type,
      stage: e.stage ?? null,
      actor: isStaff ? e.actor : { kind: e.actor.kind },
      comment: isStaff || e.type.startsWith('decision_') ? (e.comment ?? null) : null,
    })),
    // Sign-in links are for the inbox they were sent to, not for the application's message list.
    messages: messages
      .filter((m) => !m.key.startsWith(SIGN_IN_MESSAGE_PREFIX))
      .map((m) => ({ at: m.at, stage: m.stage, subject: m.subject, text: m.text })),
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
