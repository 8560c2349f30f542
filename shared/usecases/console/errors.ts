import { UseCaseError } from '../errors.js';

/** Someone else changed the same thing first (optimistic locking): reload, then try again. */
export class ConsoleConflictError extends UseCaseError {
  override readonly name = 'ConflictError';
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
  override publicDetails() {
    return this.details;
  }
}

/** A refusal with field-level reasons, shaped like ValidationError for the HTTP mapping (400 + `fields`). */
export class ConsoleValidationError extends UseCaseError {
  override readonly name = 'ValidationError';
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(message);
  }
}

export class PayloadTooLargeError extends UseCaseError {
  override readonly name = 'PayloadTooLargeError';
  constructor(message: string) {
    super(message);
  }
}
