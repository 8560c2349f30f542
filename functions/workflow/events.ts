import * as z from 'zod';
import { DomainError } from '../../shared/domain/errors.js';
import { HumanStepSchema } from '../../shared/domain/path.js';

/** Task payloads are parsed at the edge like any input: the state machine passes ids only. */
export const ApplicationEvent = z.object({ applicationId: z.uuid() }).passthrough();

export const OpenTaskEvent = z.object({
  applicationId: z.uuid(),
  step: HumanStepSchema,
  taskToken: z.string().min(1).max(2048),
  /** `$$.Execution.Id`: absent in executions started before it was added to the definition. */
  execution: z.string().min(1).max(2048).optional(),
});

/** The Catch's `$.error` may come along: an outcome is not an error, so it is not read (the history has the why). */
export const OutcomeEvent = z.object({
  applicationId: z.uuid(),
  outcome: z.enum(['not_eligible', 'rejected', 'expired']),
});

export const ErrorEvent = z.object({
  applicationId: z.uuid(),
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).partial().nullish(),
});

/**
 * A malformed Task payload is a bug in the definition, not a transient fault: fail without retries (its name is not
 * in the state machine's Retry list; the Catch records it). The message lists the bad paths, in English.
 */
export class InvalidTaskInputError extends DomainError {
  override readonly name = 'InvalidTaskInputError';
  override readonly httpStatus = 400;
  override readonly publicCode = 'validation_error';
  constructor(message: string) {
    super('invalid_task_input', message);
  }
  override publicMessage() {
    return 'Requête invalide.';
  }
}

export function parseEvent<T>(schema: z.ZodType<T>, event: unknown): T {
  const parsed = schema.safeParse(event);
  if (!parsed.success) throw new InvalidTaskInputError(parsed.error.issues.map((i) => i.path.join('.')).join(', '));
  return parsed.data;
}
