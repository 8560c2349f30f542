import type { HistoryEvent } from '../../store/store.js';
import type { Deps } from '../ports.js';
import type { StaffPrincipal } from '../principal.js';

/**
 * Staff actions (comments, assignments, releases) go into the application's history like the workflow's own events,
 * so the timeline shows who did what and when. Keys are unique per action (time + random id): two comments never
 * overwrite each other, and a retried request writes a second, visible event rather than silently losing one.
 */
export async function recordStaffEvent(
  deps: Deps,
  staff: StaffPrincipal,
  applicationId: string,
  event: { type: string; stage?: HistoryEvent['stage']; comment?: string; data?: Record<string, unknown> },
): Promise<HistoryEvent> {
  const at = deps.clock().toISOString();
  const full: HistoryEvent = {
    applicationId,
    key: `staff#${at}#${deps.newId()}`,
    at,
    actor: { kind: 'staff', id: staff.email },
    type: event.type,
    ...(event.stage ? { stage: event.stage } : {}),
    ...(event.comment ? { comment: event.comment } : {}),
    ...(event.data ? { data: event.data } : {}),
  };
  await deps.store.history.append(full);
  return full;
}
