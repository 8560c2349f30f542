import type { Deps } from '../../shared/usecases/ports.js';
import { sendReminders } from '../../shared/usecases/reminders.js';
import { taskHandler } from './handler.js';

/** Scheduled (EventBridge): heartbeats for open human steps, reminders to actors who have a step waiting. */
export const run = (deps: Deps, _event: unknown) => sendReminders(deps);
export const handler = taskHandler(run);
