import type { PublicError } from '../domain/errors.js';

/**
 * Errors of the application layer. Each class declares how it answers over HTTP (`httpStatus`, `publicCode`,
 * `publicDetails()`), read by functions/api/http.ts `toHttpResponse` with `instanceof`. Messages are French and
 * precise because they reach a person as they are. `name` is written out per class (minified bundles rename
 * classes): it is what logs and Step Functions see.
 */
export class UseCaseError extends Error implements PublicError {
  override readonly name: string = 'UseCaseError';
  /** 500 unless a subclass says otherwise: a use-case error without a declared status is a bug, not an answer. */
  readonly httpStatus: number = 500;
  readonly publicCode: string = 'internal_error';
  publicMessage(): string {
    return this.message;
  }
  publicDetails(): Record<string, unknown> {
    return {};
  }
}

export class UnauthorizedError extends UseCaseError {
  override readonly name = 'UnauthorizedError';
  override readonly httpStatus = 401;
  override readonly publicCode = 'unauthorized';
  constructor(message = 'Authentification requise.') {
    super(message);
  }
}

export class ForbiddenError extends UseCaseError {
  override readonly name = 'ForbiddenError';
  override readonly httpStatus = 403;
  override readonly publicCode = 'forbidden';
  constructor(message = "Vous n'avez pas accès à cette ressource.") {
    super(message);
  }
}

export class ApplicationNotFoundError extends UseCaseError {
  override readonly name = 'ApplicationNotFoundError';
  override readonly httpStatus = 404;
  override readonly publicCode = 'not_found';
  constructor(readonly id: string) {
    super('Demande introuvable.');
  }
}

/** The human step the caller tries to complete is not the open one (or is already done). */
export class StepNotOpenError extends UseCaseError {
  override readonly name = 'StepNotOpenError';
  override readonly httpStatus = 409;
  override readonly publicCode = 'step_not_open';
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`Cette étape n'est pas ouverte pour cette demande (étape actuelle : ${actual}).`);
  }
  override publicDetails() {
    return { stage: this.actual };
  }
}

export class NotAProducerError extends UseCaseError {
  override readonly name = 'NotAProducerError';
  override readonly httpStatus = 422;
  override readonly publicCode = 'not_a_producer';
  constructor(readonly topic: string | undefined) {
    super(
      'Seules les structures qui accompagnent des personnes au numérique peuvent déposer une demande de qualification.',
    );
  }
  override publicDetails() {
    return this.topic ? { topic: this.topic } : {};
  }
}

/**
 * The same `Idempotency-Key` with another request body. 422, not 409, as the IETF httpapi draft « The Idempotency-Key
 * HTTP Header Field » says in its « Error Scenarios » section (a reused key with a different payload is 422 Unprocessable Content; 409 is for a
 * request with that key still being processed). Nothing is revealed about the application that holds the key.
 */
export class IdempotencyKeyReusedError extends UseCaseError {
  override readonly name = 'IdempotencyKeyReusedError';
  override readonly httpStatus = 422;
  override readonly publicCode = 'idempotency_key_reused';
  constructor() {
    super(
      'Cette clé d’idempotence a déjà servi pour une autre demande : une nouvelle demande doit utiliser une nouvelle clé (en-tête Idempotency-Key).',
    );
  }
}

/** The first request with this `Idempotency-Key` is still being stored (409, the same draft and section): retry shortly. */
export class IdempotencyRequestInProgressError extends UseCaseError {
  override readonly name = 'IdempotencyRequestInProgressError';
  override readonly httpStatus = 409;
  override readonly publicCode = 'idempotency_request_in_progress';
  readonly retryAfterSeconds = 2;
  constructor() {
    super(
      'Une demande envoyée avec cette clé d’idempotence est en cours d’enregistrement : réessayez dans quelques secondes.',
    );
  }
}

export class TooManyRequestsError extends UseCaseError {
  override readonly name = 'TooManyRequestsError';
  override readonly httpStatus = 429;
  override readonly publicCode = 'too_many_requests';
  constructor(
    message = 'Trop de tentatives. Merci de patienter avant de réessayer.',
    /** When the caller may try again (`Retry-After` and `retryAfterSeconds`: a program can wait that long). */
    readonly retryAfterSeconds: number = 60,
  ) {
    super(message);
  }
  override publicDetails() {
    return { retryAfterSeconds: this.retryAfterSeconds };
  }
}

/** A lifecycle action (suspend, reinstate, withdraw, release a SIRET) that the application's stage does not allow. */
export class WrongStageError extends UseCaseError {
  override readonly name = 'WrongStageError';
  override readonly httpStatus = 409;
  override readonly publicCode = 'wrong_stage';
  constructor(
    message: string,
    readonly stage: string,
  ) {
    super(message);
  }
  override publicDetails() {
    return { stage: this.stage };
  }
}

/** The client accepted a version of the Charte or the CGU that is no longer the one in force: it must show the new text. */
export class CommitmentVersionError extends UseCaseError {
  override readonly name = 'CommitmentVersionError';
  override readonly httpStatus = 409;
  override readonly publicCode = 'commitment_version_outdated';
  constructor(
    readonly document: 'charte' | 'cgu',
    readonly inForce: string,
  ) {
    super(
      `Ce document a changé (${document === 'charte' ? 'Charte' : 'CGU'}, version en vigueur : ${inForce}) : relisez-le puis acceptez la nouvelle version.`,
    );
  }
  override publicDetails() {
    return { document: this.document, version: this.inForce };
  }
}
