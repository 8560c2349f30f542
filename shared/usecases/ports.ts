import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Logger as PinoLogger } from 'pino';
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
  /**
   * Public origin of the pages (`PUBLIC_BASE_URL`): links in e-mails (`<base>/espace#code=…`). Default
   * `http://127.0.0.1:3000` (the local server's default address).
   */
  publicBaseUrl?: string;
  /** AWS only: staff sign in through the Cognito user pool instead of the local accounts (COGNITO_CLIENT_ID set). */
  cognito?: CognitoSignIn;
}

/** Structured logs (pino's interface; the runtime's logger redacts personal data). */
export type Logger = PinoLogger;

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
