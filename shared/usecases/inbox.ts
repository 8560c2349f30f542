import type { ApplicationItem, TaskFilter, TaskItem } from '../store/store.js';
import { applicationSummary } from './console/search.js';
import type { Deps } from './ports.js';

export interface InboxQuery extends TaskFilter {
  limit?: number;
  cursor?: string;
  /** `opened` (default): oldest first. `due`: earliest due date first (console.dueDays per step). */
  sort?: 'opened' | 'due';
  /** Only the steps past their due date (implies the due-date order). */
  overdue?: boolean;
}

const DAY_MS = 86_400_000;

/**
 * The staff inbox: open steps with how long each has waited, its due date (opened + `console.dueDays[step]`) and
 * whether it is overdue, and the structure's name, commune and reference (the first 8 characters of the id, which the
 * search finds) read from the applications (one BatchGet per page). Read from the sparse indexes of open tasks;
 * tokens are stripped here so they can never reach a page.
 */
export async function listInbox(deps: Deps, q: InboxQuery) {
  const { limit, cursor, sort, overdue, ...filter } = q;
  const config = await deps.config();
  const dueDays = config.console.dueDays as Readonly<Record<string, number>>;
  const now = deps.clock().getTime();
  const page: { tasks: TaskItem[]; next?: string } =
    sort === 'due' || overdue
      ? await deps.store.tasks.inboxByDue(dueDays, filter, {
          limit: limit ?? 50,
          cursor,
          overdueAt: overdue ? new Date(now).toISOString() : undefined,
        })
      : await deps.store.tasks.inbox(filter, { limit: limit ?? 50, cursor });
  const apps = await deps.store.applications.getMany([...new Set(page.tasks.map((t) => t.applicationId))]);
  const byId = new Map<string, ApplicationItem>(apps.map((a) => [a.id, a]));
  return {
    tasks: page.tasks.map(({ token: _token, ...t }) => {
      const dueMs = new Date(t.openedAt).getTime() + (dueDays[t.step] ?? 0) * DAY_MS;
      const app = byId.get(t.applicationId);
      const summary = app ? applicationSummary(app) : null;
      return {
        taskId: t.taskId,
        applicationId: t.applicationId,
        reference: t.applicationId.slice(0, 8),
        nom: summary?.nom ?? null,
        commune: summary?.commune ?? null,
        siret: app?.siret ?? null,
        step: t.step,
        round: t.round,
        openedAt: t.openedAt,
        waitingSeconds: Math.max(0, Math.round((now - new Date(t.openedAt).getTime()) / 1000)),
        dueAt: new Date(dueMs).toISOString(),
        overdue: dueMs < now,
        route: t.route,
        phase: t.phase,
        departements: t.departements,
        flags: t.flags,
        assignee: t.assignee ?? null,
      };
    }),
    next: page.next ?? null,
  };
}
