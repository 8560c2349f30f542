import { randomBytes, randomUUID } from 'node:crypto';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { AppConfig } from '../config/config.js';
import type { Store } from '../store/store.js';
import type { CognitoSignIn } from './cognito.js';
import type { Logger } from './logger.js';
import type { Mailer } from './mailer.js';

/**
 * Everything a use case may touch, injected. Built once per process by `buildDeps` (Lambda cold start, `npm start`)
 * or by a test; use cases never reach for globals, the clock or randomness directly.
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
  /** AWS only: staff sign in through the Cognito user pool instead of the local accounts (COGNITO_CLIENT_ID set). */
  cognito?: CognitoSignIn;
}

export const systemClock = (): Date => new Date();
export const newUuid = (): string => randomUUID();
/** 256 random bits, URL-safe; the prefix tells token kinds apart in logs without revealing them. */
export const newRandomToken = (prefix: string): string => `${prefix}_${randomBytes(32).toString('base64url')}`;
