import type { Deps } from '../../shared/usecases/ports.js';
import { recordErrorStep } from '../../shared/usecases/workflow.js';
import { ErrorEvent, parseEvent } from './events.js';
import { taskHandler } from './handler.js';

/** RecordError: the Catch of every Task records the error on the application before the execution fails. */
export const run = async (deps: Deps, event: unknown) => {
  const e = parseEvent(ErrorEvent, event);
  await recordErrorStep(deps, e.applicationId, e.error ?? {});
  return { recorded: 'failed' };
};
export const handler = taskHandler(run);
