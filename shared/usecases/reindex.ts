import { isTerminal } from '../domain/path.js';
import type { SupportRequest } from '../store/store.js';
import type { ApplicationItem, TaskItem } from '../store/types.js';
import { indexApplicationAddresses } from './actor-sign-in.js';
import type { Deps } from './ports.js';

export interface ReindexOutcome {
  /** Search entries and address items written (false: erased, nothing to index). */
  indexed: boolean;
  /** Put on the console's list of closed applications, which it lacked. */
  closedListed: boolean;
}

/**
 * Writes the lookup items an application's item implies, as a submission, a corrected document or a stage change
 * does today: the console's search entries, the address → application items that sign-in reads, and, for an
 * application that reached a terminal stage, its place on the list of closed applications
 * (`/api/console/closed`). Applications stored by a version that did not write them (before the search index, the
 * actor space, the closed list) are otherwise invisible there. Idempotent (the search index puts what is missing and
 * deletes what is stale; the address items are plain puts; the closed list is written only when absent). An erased
 * application has no personal data left to index and is off the lists: skipped.
 */
export async function reindexApplication(deps: Deps, app: ApplicationItem): Promise<ReindexOutcome> {
  if (app.erasedAt) return { indexed: false, closedListed: false };
  await deps.store.search.index(app);
  await indexApplicationAddresses(deps, app);
  const closedListed = isTerminal(app.stage)
    ? await deps.store.applications.listClosedIfMissing(app.id, app.stage, closedAt(app))
    : false;
  return { indexed: true, closedListed };
}

/**
 * When the application got to its terminal stage, as well as an older item tells: the qualification date, the end
 * date, else its last change (a terminal item changes rarely after it got there).
 */
export function closedAt(app: ApplicationItem): string {
  if (app.stage === 'qualified' && app.qualifiedAt) return app.qualifiedAt;
  return app.endedAt ?? app.updatedAt;
}

/**
 * A support request stored before its address lookup and the retention job's listing existed: the actor's export and
 * erasure did not find it under their address, and the retention job never anonymised it. Writes both, as opening a
 * request does today. Idempotent; an anonymised request has nothing left to find: skipped (false).
 */
export async function reindexSupportRequest(deps: Deps, r: SupportRequest): Promise<boolean> {
  if (r.erasedAt) return false;
  if (r.courriel) await deps.store.support.indexAddress(r.courriel, r.id);
  await deps.store.support.relist(r);
  return true;
}

/**
 * A task decided before decisions were tracked until delivered: listed for the reminder job, which delivers a decision
 * that never reached Step Functions (a crash between the claim and the call) and closes the others as no longer
 * awaited (`redeliverClaimed`). True when it was listed.
 */
export function reindexDecidedTask(deps: Deps, task: TaskItem): Promise<boolean> {
  return deps.store.tasks.listDecisionOfUnknownDelivery(task);
}
