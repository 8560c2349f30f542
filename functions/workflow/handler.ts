import type { Context } from 'aws-lambda';
import { getDeps } from '../../shared/runtime/clients.js';
import { lambdaInvocation } from '../../shared/runtime/invocation.js';
import type { Deps } from '../../shared/usecases/ports.js';

/**
 * The Lambda handler of a workflow Task (or of the scheduled reminder job) from its `run(deps, event)`, which the
 * local runtime calls directly. Log lines carry the Lambda context and, as correlation id, the application id every
 * Task payload holds (the scheduled job: EventBridge's event id); the Task's metrics are written when it ends.
 */
export function taskHandler<T>(run: (deps: Deps, event: unknown) => Promise<T>) {
  return (event: unknown, context?: Context): Promise<T> =>
    lambdaInvocation(context, correlationIdOf(event), () => run(getDeps(), event));
}

export function correlationIdOf(event: unknown): string | undefined {
  if (!event || typeof event !== 'object') return undefined;
  const e = event as { applicationId?: unknown; id?: unknown };
  if (typeof e.applicationId === 'string' && e.applicationId.length <= 100) return e.applicationId;
  if (typeof e.id === 'string' && e.id.length <= 100) return e.id;
  return undefined;
}
