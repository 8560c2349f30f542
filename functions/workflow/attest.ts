import type { Deps } from '../../shared/usecases/ports.js';
import { attestStep } from '../../shared/usecases/workflow.js';
import { ApplicationEvent, parseEvent } from './events.js';
import { taskHandler } from './handler.js';

/**
 * Task NetworkAttestation: a listed member's network attests in place of the staff review. Returns
 * `{ attested, networkId, … }`; the Choice after it (AttestationChoice) reads `attested` to go on to the actor's
 * commitments or back to the staff review.
 */
export const run = (deps: Deps, event: unknown) => {
  const e = parseEvent(ApplicationEvent, event);
  return attestStep(deps, e.applicationId);
};
export const handler = taskHandler(run);
