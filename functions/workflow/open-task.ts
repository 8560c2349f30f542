import type { Deps } from '../../shared/usecases/ports.js';
import { openTaskStep } from '../../shared/usecases/workflow.js';
import { OpenTaskEvent, parseEvent } from './events.js';
import { taskHandler } from './handler.js';

/**
 * The callback Tasks (.waitForTaskToken): store the token with the open step; the decision comes back later (or, after
 * a restart, a decision already claimed is delivered to this execution at once: docs/local-stepfunctions.md).
 */
export const run = (deps: Deps, event: unknown) => {
  const e = parseEvent(OpenTaskEvent, event);
  return openTaskStep(deps, e.applicationId, e.step, e.taskToken, e.execution);
};
export const handler = taskHandler(run);
