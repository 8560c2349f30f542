/**
 * Store errors. AWS errors are translated here, at the edge: a failed condition becomes a named domain error chosen
 * by the caller, a throttle or server fault (after the SDK's own retries) becomes TransientStoreError, anything else is
 * re-thrown untouched. `name` is what Step Functions Retry / Catch match, so it equals the class name.
 */
export class StoreError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Optimistic locking: the item's version moved since it was read. The item is unchanged. */
export class ConflictError extends StoreError {
  constructor(
    readonly id: string,
    readonly expectedVersion: number,
  ) {
    super('CONFLICT', `${id}: version ${expectedVersion} is stale`);
  }
}

/** A SIRET qualifies once: another application holds it. */
export class SiretAlreadyClaimedError extends StoreError {
  constructor(
    readonly siret: string,
    readonly applicationId: string,
  ) {
    super('SIRET_ALREADY_CLAIMED', `SIRET ${siret} is already claimed by application ${applicationId}`);
  }
}

/** An item that was created once must not be created again (same id). */
export class AlreadyExistsError extends StoreError {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super('ALREADY_EXISTS', `${entity} ${id} already exists`);
  }
}

export class NotFoundError extends StoreError {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super('NOT_FOUND', `${entity} ${id} not found`);
  }
}

/** First decision wins: the task is no longer open. Carries who decided and when. */
export class TaskAlreadyDecidedError extends StoreError {
  constructor(
    readonly taskId: string,
    readonly status: 'decided' | 'cancelled',
    readonly by: string | null,
    readonly at: string | null,
    readonly decision: string | null,
  ) {
    super(
      'TASK_ALREADY_DECIDED',
      `task ${taskId} is already ${status}${by ? ` by ${by}` : ''}${at ? ` at ${at}` : ''}`,
    );
  }
}

/** The task is open, but at a step the caller may not decide (e.g. staff on an actor step). Nothing changed. */
export class TaskStepMismatchError extends StoreError {
  constructor(
    readonly taskId: string,
    readonly step: string,
  ) {
    super('TASK_STEP_MISMATCH', `task ${taskId} is open at step ${step}, which this decision does not cover`);
  }
}

/** The store could not answer now (after the SDK's retries); retrying later may succeed. */
export class TransientStoreError extends StoreError {
  constructor(
    readonly operation: string,
    /** The AWS error name or Node network code, e.g. `ThrottlingException`, `ECONNRESET`. */
    readonly awsError: string,
    options?: { cause?: unknown },
  ) {
    super('STORE_UNAVAILABLE', `${operation}: ${awsError}`, options);
  }
}

const TRANSIENT_AWS_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TransactionConflictException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

interface AwsLikeError {
  name?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
}

export function isConditionalCheckFailed(err: unknown): boolean {
  return (err as AwsLikeError | null)?.name === 'ConditionalCheckFailedException';
}

/** The name of a transient failure, or null when the error is not transient. */
export function transientErrorName(err: unknown): string | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as AwsLikeError;
  if (e.name && TRANSIENT_AWS_ERRORS.has(e.name)) return e.name;
  if (e.code && NETWORK_CODES.has(e.code)) return e.code;
  const status = e.$metadata?.httpStatusCode;
  if (e.$fault === 'server' || (status !== undefined && status >= 500)) return e.name ?? `HTTP ${status}`;
  return null;
}

/** Throws the translated error: TransientStoreError for transient failures, the original error otherwise. */
export function translateAwsError(err: unknown, operation: string): never {
  if (err instanceof StoreError) throw err;
  const transient = transientErrorName(err);
  if (transient) throw new TransientStoreError(operation, transient, { cause: err });
  throw err;
}
