import type { PublicError } from '../domain/errors.js';

/**
 * Store errors. AWS errors are translated here, at the edge: a failed condition becomes a named domain error chosen
 * by the caller, a throttle or server fault (after the SDK's own retries) becomes TransientStoreError, anything else is
 * re-thrown untouched. `name` is what Step Functions Retry / Catch match, so each class writes its own class name out
 * (a minified bundle renames classes: the name cannot come from the constructor).
 * Messages are English (for developers); a class that answers over HTTP gives its French `publicMessage()`.
 */
export class StoreError extends Error implements PublicError {
  override readonly name: string = 'StoreError';
  readonly code: string;
  /** 500 unless a subclass says otherwise: an unexpected store error is not the client's business. */
  readonly httpStatus: number = 500;
  readonly publicCode: string = 'internal_error';
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
  publicMessage(): string {
    return this.message;
  }
  publicDetails(): Record<string, unknown> {
    return {};
  }
}

/** Optimistic locking: the item's version moved since it was read. The item is unchanged. */
export class ConflictError extends StoreError {
  override readonly name = 'ConflictError';
  override readonly httpStatus = 409;
  override readonly publicCode = 'conflict';
  constructor(
    readonly id: string,
    readonly expectedVersion: number,
  ) {
    super('CONFLICT', `${id}: version ${expectedVersion} is stale`);
  }
  override publicMessage() {
    return 'La demande a été modifiée entre-temps : rechargez-la puis réessayez.';
  }
}

/** A SIRET qualifies once: another application holds it. */
export class SiretAlreadyClaimedError extends StoreError {
  override readonly name = 'SiretAlreadyClaimedError';
  override readonly httpStatus = 409;
  override readonly publicCode = 'siret_already_used';
  constructor(
    readonly siret: string,
    readonly applicationId: string,
  ) {
    super('SIRET_ALREADY_CLAIMED', `SIRET ${siret} is already claimed by application ${applicationId}`);
  }
  /** The holder's application id stays out: it is another applicant's. */
  override publicMessage() {
    return 'Ce SIRET est déjà utilisé par une demande de qualification. Un SIRET ne peut servir qu’une fois : contactez le support si vous pensez qu’il s’agit d’une erreur.';
  }
}

/** An item that was created once must not be created again (same id). */
export class AlreadyExistsError extends StoreError {
  override readonly name = 'AlreadyExistsError';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super('ALREADY_EXISTS', `${entity} ${id} already exists`);
  }
}

export class NotFoundError extends StoreError {
  override readonly name = 'NotFoundError';
  override readonly httpStatus = 404;
  override readonly publicCode = 'not_found';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super('NOT_FOUND', `${entity} ${id} not found`);
  }
  override publicMessage() {
    return 'Ressource introuvable.';
  }
}

/** First decision wins: the task is no longer open. Carries who decided and when. */
export class TaskAlreadyDecidedError extends StoreError {
  override readonly name = 'TaskAlreadyDecidedError';
  override readonly httpStatus = 409;
  override readonly publicCode = 'task_already_decided';
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
  override publicMessage() {
    return this.by && this.at
      ? `Cette étape a déjà été décidée par ${this.by} le ${this.at}.`
      : 'Cette étape a déjà été décidée.';
  }
  /** Who decided, when and how: staff see it to understand why their own decision was refused. */
  override publicDetails() {
    const details: Record<string, unknown> = {};
    for (const [key, value] of Object.entries({
      by: this.by,
      at: this.at,
      decision: this.decision,
      status: this.status,
    })) {
      if (value !== null && value !== undefined) details[key] = value;
    }
    return details;
  }
}

/** The task is open, but at a step the caller may not decide (e.g. staff on an actor step). Nothing changed. */
export class TaskStepMismatchError extends StoreError {
  override readonly name = 'TaskStepMismatchError';
  constructor(
    readonly taskId: string,
    readonly step: string,
  ) {
    super('TASK_STEP_MISMATCH', `task ${taskId} is open at step ${step}, which this decision does not cover`);
  }
}

/** The store could not answer now (after the SDK's retries); retrying later may succeed. */
export class TransientStoreError extends StoreError {
  override readonly name = 'TransientStoreError';
  override readonly httpStatus = 503;
  override readonly publicCode = 'unavailable';
  constructor(
    readonly operation: string,
    /** The AWS error name or Node network code, e.g. `ThrottlingException`, `ECONNRESET`. */
    readonly awsError: string,
    options?: { cause?: unknown },
  ) {
    super('STORE_UNAVAILABLE', `${operation}: ${awsError}`, options);
  }
  override publicMessage() {
    return 'Service momentanément indisponible, merci de réessayer.';
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
