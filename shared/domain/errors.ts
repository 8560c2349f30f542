// Domain errors. Each has a stable `code` (internal, for logs and the workflow) and declares how it answers over HTTP
// (`httpStatus`, `publicCode`, `publicMessage()`): functions/api/http.ts `toHttpResponse` reads these, by `instanceof`,
// never by name. The store keeps its own errors (shared/store/errors.ts), the use cases theirs (shared/usecases/errors.ts).
//
// `name` is written out in every class, never derived from the constructor: Lambda bundles are minified, which renames
// classes, and the name is what a Lambda reports to Step Functions (Retry / Catch `ErrorEquals`) and what logs show.

export interface Issue {
  /** Dotted path into the input, e.g. `structure.siret`, `lieux.0.commune`; '' for the whole document. */
  path: string;
  /** French message, shown to the user as is. */
  message: string;
}

/**
 * What a client may learn of an error; every error base class (domain, store, use case, HTTP) has these members.
 * `httpStatus` 500 means « not for the client »: the response is the generic internal error and the error is logged.
 */
export interface PublicError {
  /** The HTTP status of the response. */
  readonly httpStatus: number;
  /** The response's `error` field, stable for programs. */
  readonly publicCode: string;
  /** The response's `message`: French, for a person. */
  publicMessage(): string;
  /** Extra response fields: never ids of other applications, tokens or stack traces. */
  publicDetails(): Record<string, unknown>;
  /** When the client may try again, in seconds: sent as `Retry-After` (every 429 has one). */
  readonly retryAfterSeconds?: number;
}

export class DomainError extends Error implements PublicError {
  override readonly name: string = 'DomainError';
  readonly code: string;
  readonly httpStatus: number = 500;
  readonly publicCode: string = 'internal_error';
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
  /** Domain messages may be English (developer-facing): each public subclass gives its French text. */
  publicMessage(): string {
    return this.message;
  }
  publicDetails(): Record<string, unknown> {
    return {};
  }
}

/** The document does not match the contract; `issues` carry French messages (→ HTTP 400 with `fields`). */
export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  override readonly httpStatus = 400;
  override readonly publicCode = 'validation_error';
  readonly issues: Issue[];
  constructor(issues: Issue[], message = 'Le document contient des erreurs.') {
    super('validation_failed', message);
    this.issues = issues;
  }
  override publicMessage() {
    return 'Certaines informations sont invalides.';
  }
  override publicDetails() {
    return { fields: this.issues };
  }
}

/** `transition(stage, event)` was asked for a move the qualification path does not allow. */
export class IllegalTransitionError extends DomainError {
  override readonly name = 'IllegalTransitionError';
  override readonly httpStatus = 409;
  override readonly publicCode = 'illegal_transition';
  readonly from: string;
  readonly event: string;
  constructor(from: string, event: string) {
    super('illegal_transition', `Illegal transition: event "${event}" is not allowed from stage "${from}"`);
    this.from = from;
    this.event = event;
  }
  override publicMessage() {
    return "Ce changement d'étape n'est pas possible.";
  }
}

/** The configuration file is missing or invalid (developer/operator error, English message; HTTP 500). */
export class ConfigError extends DomainError {
  override readonly name = 'ConfigError';
  readonly details: string[];
  constructor(message: string, details: string[] = [], options?: { cause?: unknown }) {
    super('invalid_config', details.length ? `${message}:\n- ${details.join('\n- ')}` : message, options);
    this.details = details;
  }
}
