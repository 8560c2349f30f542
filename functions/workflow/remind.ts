import { getDeps } from '../../shared/runtime/clients.js';
import type { Deps } from '../../shared/usecases/ports.js';
import { sendReminders } from '../../shared/usecases/reminders.js';

/** Scheduled (EventBridge): heartbeats for open human steps, reminders to actors who have a step waiting. */
export const run = (deps: Deps, _event: unknown) => sendReminders(deps);
export const handler = (event: unknown) => run(getDeps(), event);
