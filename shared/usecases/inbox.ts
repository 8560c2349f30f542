import type { TaskFilter } from '../store/store.js';
import type { Deps } from './ports.js';

export interface InboxQuery extends TaskFilter {
  limit?: number;
  cursor?: string;
}

/**
 * The staff inbox: open steps, oldest first, with how long each has waited. Read from the sparse index of open
 * tasks; tokens are stripped here so they can never reach a page.
 */
export async function listInbox(deps: Deps, q: InboxQuery) {
  const { limit, cursor, ...filter } = q;
  const page = await deps.store.tasks.inbox(filter, { limit: limit ?? 50, cursor });
  const now = deps.clock().getTime();
  return {
    tasks: page.tasks.map(({ token: _token, ...t }) => ({
      taskId: t.taskId,
      applicationId: t.applicationId,
      step: t.step,
      round: t.round,
      openedAt: t.openedAt,
      waitingSeconds: Math.max(0, Math.round((now - new Date(t.openedAt).getTime()) / 1000)),
      route: t.route,
      phase: t.phase,
      departements: t.departements,
      flags: t.flags,
      assignee: t.assignee ?? null,
    })),
    next: page.next ?? null,
  };
}
