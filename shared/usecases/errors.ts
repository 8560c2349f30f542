/**
 * Errors of the application layer. Their `name` is the contract: functions/api/http.ts maps it to an HTTP status,
 * the state machine's Retry/Catch match it. Messages are French because they may reach a person.
 */
export class UseCaseError extends Error {
  publicDetails(): Record<string, unknown> {
    return {};
  }
}

export class UnauthorizedError extends UseCaseError {
  override readonly name = 'UnauthorizedError';
  constructor(message = 'Authentification requise.') {
    super(message);
  }
}

export class ForbiddenError extends UseCaseError {
  override readonly name = 'ForbiddenError';
  constructor(message = "Vous n'avez pas accès à cette ressource.") {
    super(message);
  }
}

export class ApplicationNotFoundError extends UseCaseError {
  override readonly name = 'NotFoundError';
  constructor(readonly id: string) {
    super('Demande introuvable.');
  }
}

/** The human step the caller tries to complete is not the open one (or is already done). */
export class StepNotOpenError extends UseCaseError {
  override readonly name = 'StepNotOpenError';
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
  constructor(readonly topic: string | undefined) {
    super(
      'Seules les structures qui accompagnent des personnes au numérique peuvent déposer une demande de qualification.',
    );
  }
  override publicDetails() {
    return this.topic ? { topic: this.topic } : {};
  }
}

export class TooManyRequestsError extends UseCaseError {
  override readonly name = 'TooManyRequestsError';
  constructor(message = 'Trop de tentatives. Merci de patienter avant de réessayer.') {
    super(message);
  }
}
