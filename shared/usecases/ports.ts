import type { SFNClient } from '@aws-sdk/client-sfn';
import type { AppConfig } from '../config/config.js';
import type { Store } from '../store/store.js';

/**
 * The ports of the use cases: everything a use case may touch, injected. Built once per process by `buildDeps`
 * (shared/runtime/clients.ts: Lambda cold start, `npm start`, the admin CLIs) or by a test; use cases never reach for
 * globals, the clock or randomness directly, and never import the runtime that implements these.
 */
export interface Deps {
  store: Store;
  sfn: SFNClient;
  stateMachineArn: string;
  /** The file configuration merged with the admin overrides kept in DynamoDB. */
  config(): Promise<AppConfig>;
  clock(): Date;
  newId(): string;
  newToken(prefix: string): string;
  mailer: Mailer;
  logger: Logger;
  /** Business counters: CloudWatch metrics (EMF) on Lambda, log lines locally. */
  metrics: Metrics;
  /**
   * Public origin of the pages (`PUBLIC_BASE_URL`): links in e-mails (`<base>/espace#code=…`). Default
   * `http://127.0.0.1:3000` (the local server's default address).
   */
  publicBaseUrl?: string;
  /** AWS only: staff sign in through the Cognito user pool instead of the local accounts (COGNITO_CLIENT_ID set). */
  cognito?: CognitoSignIn;
  /**
   * Who the staff are beyond the local accounts: on AWS the Cognito user pool (COGNITO_USER_POOL_ID set), where admins
   * may exist only there. Absent on one machine: the local accounts (store.staff) are the whole directory.
   */
  staffDirectory?: StaffDirectory;
  /**
   * Encrypts the actor's bank details (issue 10 § 2): KMS on AWS, AES-256-GCM with a local key file on one machine.
   * Absent in hand-built test deps: the bank-details routes then answer 503.
   */
  bankVault?: BankVault;
  /**
   * Geocodes a place's address (docs/places-geo.md): the national address API on AWS (GEOCODER_URL). Absent on one
   * machine and in tests: places then take their commune's centre (packaged data), as when the API fails.
   */
  geocoder?: Geocoder;
}

/** An address to place on the map; the answer is null when the service has nothing trustworthy (or failed). */
export interface GeocodeQuery {
  adresse: string;
  codePostal: string;
  commune: string;
  /** The commune's INSEE code: narrows the search to it. */
  codeInsee?: string;
}

export interface GeocodeHit {
  latitude: number;
  longitude: number;
  /** 0–1, the service's confidence. */
  score: number;
  /** `address`: a house number or a street; `commune`: only the town was found. */
  precision: 'address' | 'commune';
}

export interface Geocoder {
  /** Never throws: a timeout, an HTTP error or an unreadable answer is null (the caller falls back). */
  geocode(query: GeocodeQuery, options: { timeoutMs: number }): Promise<GeocodeHit | null>;
}

/**
 * Envelope for secrets at rest. `encrypt` returns an opaque string (safe to store); `decrypt` refuses a ciphertext that
 * was altered or made with another key (it throws). `context` binds a ciphertext to its item (the application id):
 * a ciphertext copied onto another application does not decrypt there.
 */
export interface BankVault {
  encrypt(plaintext: string, context: string): Promise<string>;
  decrypt(ciphertext: string, context: string): Promise<string>;
}

/** Fields of a log line; the runtime's logger strips personal data from them at any depth (runtime/redact.ts). */
export type LogFields = Record<string, unknown>;

/**
 * Structured logs: fields first, then the message (`logger.warn({ err, applicationId }, 'heartbeat failed')`).
 * On Lambda each line also carries the request id, the cold-start flag and the correlation id.
 */
export interface Logger {
  debug(fields: LogFields, msg: string): void;
  info(fields: LogFields, msg: string): void;
  warn(fields: LogFields, msg: string): void;
  error(fields: LogFields, msg: string): void;
  /** A logger whose lines all carry `fields` (and, optionally, its own level: tests use `silent`). */
  child(fields: LogFields, options?: { level?: LogLevel }): Logger;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/**
 * The business metrics, one list (the CloudWatch dashboard in infra/constructs/dashboard.ts shows each of them).
 * Dimensions are few and bounded (a status, a step, a decision): each distinct set is one CloudWatch metric to pay.
 */
export const METRIC_NAMES = [
  /** A new application stored (API or chat; an idempotent retry is not counted again). */
  'ApplicationsSubmitted',
  /** The EvaluateEligibility Task's decision; dimension `status` (eligible_now, eligible_waitlist, …). */
  'EligibilityOutcome',
  /** A human step decided (staff or actor); dimensions `step` and `decision`. */
  'Decisions',
  /** An application that reached `qualified`. */
  'Qualifications',
  /** A question the FAQ could not answer (below the threshold: « je ne sais pas »). */
  'FaqDeclined',
  /** One chat turn run by the engine (a message or a hello). */
  'ChatTurns',
  /** A chat turn that failed (the actor got an apology). */
  'ChatErrors',
  /** « Parler à quelqu’un »: a support request opened from the chat; dimension `trigger` (typed, button, misunderstood). */
  'SupportRequests',
  /** Seconds from a support request to its first staff answer (a value, through `measure`). */
  'SupportFirstAnswerSeconds',
  /** A FAQ version published or rolled back by staff; dimension `action`. */
  'FaqPublished',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** Counters. Cheap and never throwing: a metric must not cost a request. */
export interface Metrics {
  count(name: MetricName, dimensions?: Record<string, string>): void;
  /** A measured value (a duration): optional, so a counter-only implementation stays valid. */
  measure?(name: MetricName, value: number, unit: 'Seconds' | 'Milliseconds'): void;
}

/**
 * E-mail to actors. On AWS it is SES (functions get `ses:SendEmail` on one identity); on one machine the message is
 * only kept in the store's outbox, which staff read in the console. Either way the message is also kept for the chat.
 */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Where a message goes: `outbox` means nothing leaves the machine (the stored message is the record). */
  readonly channel: 'ses' | 'outbox';
  send(mail: OutgoingMail): Promise<{ delivered: boolean; channel: 'ses' | 'outbox' }>;
}

/** A staff sign-in: the token the console sends as `Authorization: Bearer`, as the local `login` returns it. */
export interface StaffSession {
  token: string;
  expiresAt: string;
  role: string;
}

/** Staff sign-in through the Cognito user pool (AWS): present in Deps only when COGNITO_CLIENT_ID is set. */
export interface CognitoSignIn {
  signIn(input: unknown): Promise<StaffSession>;
}

/** The staff accounts a use case may list (the daily digest's admins): see staff-directory.ts for the local one. */
export interface StaffDirectory {
  /** E-mail addresses of the enabled admins, lower case. */
  admins(): Promise<string[]>;
}
