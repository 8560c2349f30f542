import { UseCaseError } from '../errors.js';

/** Someone else changed the same thing first (optimistic locking): reload, then try again. */
export class ConsoleConflictError extends UseCaseError {
  override readonly name = 'ConsoleConflictError';
  override readonly httpStatus = 409;
  override readonly publicCode = 'conflict';
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

/** A refusal with field-level reasons, answered like ValidationError (400 + `fields`) but with its own message. */
export class ConsoleValidationError extends UseCaseError {
  override readonly name = 'ConsoleValidationError';
  override readonly httpStatus = 400;
  override readonly publicCode = 'validation_error';
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(message);
  }
  override publicDetails() {
    return { fields: this.issues };
  }
}

export class PayloadTooLargeError extends UseCaseError {
  override readonly name = 'PayloadTooLargeError';
  override readonly httpStatus = 413;
  override readonly publicCode = 'payload_too_large';
}

/**
 * An import stopped half way (the table refused writes): what was written stays, the message says how much, and the
 * same file can be sent again (rows have deterministic ids: nothing is duplicated).
 */
export class ImportInterruptedError extends UseCaseError {
  override readonly name = 'ImportInterruptedError';
  override readonly httpStatus = 503;
  override readonly publicCode = 'import_interrupted';
  constructor(
    message: string,
    readonly details: { written: number; total: number },
  ) {
    super(message);
  }
  override publicDetails() {
    return this.details;
  }
}
