import type { Deps } from '../../shared/usecases/ports.js';
import { recordOutcomeStep } from '../../shared/usecases/workflow.js';
import { OutcomeEvent, parseEvent } from './events.js';
import { taskHandler } from './handler.js';

/** RecordNotEligible / RecordRejected / RecordExpired. */
export const run = async (deps: Deps, event: unknown) => {
  const e = parseEvent(OutcomeEvent, event);
  await recordOutcomeStep(deps, e.applicationId, e.outcome);
  return { recorded: e.outcome };
};
export const handler = taskHandler(run);
