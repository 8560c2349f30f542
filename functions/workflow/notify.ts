import type { Deps } from '../../shared/usecases/ports.js';
import { notifyStep } from '../../shared/usecases/workflow.js';
import { ApplicationEvent, parseEvent } from './events.js';
import { taskHandler } from './handler.js';

/** Notify: the actor's message for the stage reached (kept for the chat, e-mailed where a mailer delivers). */
export const run = async (deps: Deps, event: unknown) => {
  await notifyStep(deps, parseEvent(ApplicationEvent, event).applicationId);
  return { notified: true };
};
export const handler = taskHandler(run);
