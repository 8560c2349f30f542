// Domain errors. Each has a stable `code` so adapters (HTTP, workflow) can map it without string matching.
// The store keeps its own errors (shared/store/errors.ts).

export interface Issue {
  /** Dotted path into the input, e.g. `structure.siret`, `lieux.0.commune`; '' for the whole document. */
  path: string;
  /** French message, shown to the user as is. */
  message: string;
}

export class DomainError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The document does not match the contract; `issues` carry French messages (→ HTTP 400). */
export class ValidationError extends DomainError {
  readonly issues: Issue[];
  constructor(issues: Issue[], message = 'Le document contient des erreurs.') {
    super('validation_failed', message);
    this.issues = issues;
  }
}

/** `transition(stage, event)` was asked for a move the qualification path does not allow. */
export class IllegalTransitionError extends DomainError {
  readonly from: string;
  readonly event: string;
  constructor(from: string, event: string) {
    super('illegal_transition', `Illegal transition: event "${event}" is not allowed from stage "${from}"`);
    this.from = from;
    this.event = event;
  }
}

/** The configuration file is missing or invalid (developer/operator error, English message). */
export class ConfigError extends DomainError {
  readonly details: string[];
  constructor(message: string, details: string[] = [], options?: { cause?: unknown }) {
    super('invalid_config', details.length ? `${message}:\n- ${details.join('\n- ')}` : message, options);
    this.details = details;
  }
}
