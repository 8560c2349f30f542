import type { Deps } from '../../shared/usecases/ports.js';
import { evaluateStep } from '../../shared/usecases/workflow.js';
import { ApplicationEvent, parseEvent } from './events.js';
import { taskHandler } from './handler.js';

/** Task EvaluateEligibility → { outcome: not_eligible | waitlist | review, route, status, round }. */
export const run = (deps: Deps, event: unknown) =>
  evaluateStep(deps, parseEvent(ApplicationEvent, event).applicationId);
export const handler = taskHandler(run);
