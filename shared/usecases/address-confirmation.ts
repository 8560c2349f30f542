import { ConflictError, NotFoundError, TaskAlreadyDecidedError } from '../store/errors.js';
import type { ApplicationItem } from '../store/store.js';
import { completeTask, StaleTaskError } from './decisions.js';
import type { Deps } from './ports.js';

/**
 * The applicant's address is confirmed by the first sign-in link they open (docs/actor.md). The state machine holds
 * the application in `address_confirmation` (a callback Task) until then; this records the confirmation on the
 * application and completes that step if it is open. Idempotent: a second link, or both sides of the race with
 * open-task, find it done.
 */
export async function confirmAddress(deps: Deps, app: ApplicationItem): Promise<ApplicationItem> {
  let current: ApplicationItem | null = app;
  if (!current.addressConfirmedAt) {
    for (let attempt = 0; current && !current.addressConfirmedAt; attempt++) {
      try {
        current = await deps.store.applications.update(current.id, current.version, {
          addressConfirmedAt: deps.clock().toISOString(),
          updatedAt: deps.clock().toISOString(),
        });
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= 4) throw err;
        current = await deps.store.applications.get(app.id);
      }
    }
    if (!current) return app;
    await deps.store.history.append({
      applicationId: app.id,
      key: 'address_confirmed',
      at: current.addressConfirmedAt ?? deps.clock().toISOString(),
      actor: { kind: 'actor' },
      type: 'address_confirmed',
      stage: current.stage,
    });
  }
  await completeAddressConfirmation(deps, current.id, current.round);
  return current;
}

/** Completes the open `address_confirmation` step of this round, if there is one (nothing otherwise). */
export async function completeAddressConfirmation(deps: Deps, applicationId: string, round: number): Promise<void> {
  const taskId = deps.store.tasks.idFor(applicationId, 'address_confirmation', round);
  const task = await deps.store.tasks.get(taskId);
  if (!task || task.status !== 'open') return;
  try {
    await completeTask(deps, taskId, { decision: 'approve', by: applicationId, byKind: 'actor', history: false }, [
      'address_confirmation',
    ]);
  } catch (err) {
    // Completed meanwhile by the other side of the race, or the step already timed out: nothing left to do.
    if (err instanceof TaskAlreadyDecidedError || err instanceof StaleTaskError || err instanceof NotFoundError) return;
    throw err;
  }
}
