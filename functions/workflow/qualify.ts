import type { Deps } from '../../shared/usecases/ports.js';
import { qualifyStep } from '../../shared/usecases/workflow.js';
import { ApplicationEvent, parseEvent } from './events.js';
import { taskHandler } from './handler.js';

/** Qualify: record the qualification and publish the places. */
export const run = async (deps: Deps, event: unknown) => {
  await qualifyStep(deps, parseEvent(ApplicationEvent, event).applicationId);
  return { qualified: true };
};
export const handler = taskHandler(run);
