import { isHumanStep } from '../domain/path.js';
import { ApplicationNotFoundError } from './errors.js';
import type { Deps } from './ports.js';
import { actorApplication, type Principal, requireAccess } from './principal.js';
import { applicationSummary, historyView, messagesView } from './projections.js';

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
  const audience = isStaff ? 'staff' : 'actor';
  return {
    ...applicationSummary(app),
    flags: app.flags,
    reasons: app.reasons,
    openStep: isHumanStep(app.stage) ? app.stage : null,
    history: historyView(history, audience),
    messages: messagesView(messages, audience),
    ...(isStaff
      ? { document: app.document, campaign: app.campaign ?? null, error: app.error ? { name: app.error.name } : null }
      : {}),
  };
}
