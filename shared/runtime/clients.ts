import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient, type SFNClientConfig } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadConfig } from '../config/config.js';
import { Store } from '../store/store.js';
import { effectiveConfig } from '../usecases/config.js';
import type { Deps } from '../usecases/ports.js';
import { inMemoryVault, keyFileVault } from './bank-vault.js';
import { cognitoSignIn } from './cognito.js';
import { staffDirectoryFor } from './cognito-directory.js';
import { parseEnv, type RuntimeEnv } from './env.js';
import { httpGeocoder } from './geocoder.js';
import { keepAliveHandler } from './http-handler.js';
import { newRandomToken, newUuid, systemClock } from './ids.js';
import { kmsVault } from './kms-vault.js';
import { unsignedLocalSigner } from './local-signer.js';
import { logger } from './logger.js';
import { outboxOnlyMailer } from './mailer.js';
import { lambdaMetrics, logMetrics } from './metrics.js';
import { sesMailer } from './ses-mailer.js';

export interface DocumentClientOptions {
  /** Set for dynalite (`http://127.0.0.1:<port>`); leave unset on AWS. */
  endpoint?: string;
  region: string;
  /** Static credentials; with an endpoint and none given, dummy ones (dynalite does not check them). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** SDK attempts, including the first, before a throttle or 5xx reaches the store (then TransientStoreError). */
  maxAttempts?: number;
  /** Per-request socket timeout: a hung connection becomes a retryable error instead of a stuck Lambda. */
  requestTimeoutMs?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 4;

/** The only place a DynamoDB client is built (`buildDeps` calls it once per process; the CLIs and tests too). */
export function makeDocumentClient(options: DocumentClientOptions): DynamoDBDocumentClient {
  const credentials =
    options.credentials ?? (options.endpoint ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined);
  const client = new DynamoDBClient({
    region: options.region,
    // dynalite checks no signature: skip SigV4's CPU there (see local-signer.ts). AWS clients sign as usual.
    ...(options.endpoint
      ? { endpoint: options.endpoint, signer: unsignedLocalSigner('dynamodb', options.region) }
      : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    requestHandler: keepAliveHandler({ requestTimeoutMs: options.requestTimeoutMs ?? 5_000 }),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: {
      // Optional fields of our zod types are often `undefined`; DynamoDB rejects them otherwise.
      removeUndefinedValues: true,
      // Entities are plain data; a class instance reaching the store is a bug, not something to flatten silently.
      convertClassInstanceToMap: false,
    },
  });
}

/** Local endpoints need credentials of some kind; the local services ignore them. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Transports that replace HTTP for clients whose service runs in this very process (the local runtime). */
export interface InProcessTransports {
  /** Request handler of the Step Functions client (the local engine's endpoint, called without a socket). */
  sfn?: SFNClientConfig['requestHandler'];
}

/**
 * The one place clients are built, from one parsed environment. DynamoDB and Step Functions are built here (nearly
 * every function calls them); Cognito, KMS and SES v2 are built, and their SDK packages imported, at their first use
 * (./lazy.ts), so that a function that never signs anyone in, seals bank details or sends mail does not load them at
 * its cold start.
 */
export function buildDeps(env: RuntimeEnv, overrides: Partial<Deps> = {}, transports: InProcessTransports = {}): Deps {
  const local = Boolean(env.DYNAMODB_ENDPOINT);
  const doc = makeDocumentClient({
    endpoint: env.DYNAMODB_ENDPOINT,
    region: env.AWS_REGION,
    credentials: local ? LOCAL_CREDENTIALS : undefined,
  });
  const sfn = new SFNClient({
    region: env.AWS_REGION,
    endpoint: env.STEPFUNCTIONS_ENDPOINT,
    credentials: env.STEPFUNCTIONS_ENDPOINT ? LOCAL_CREDENTIALS : undefined,
    // The local endpoint checks no signature (infra/local/sfn/endpoint.ts): skip SigV4's CPU there.
    ...(env.STEPFUNCTIONS_ENDPOINT ? { signer: unsignedLocalSigner('states', env.AWS_REGION) } : {}),
    maxAttempts: 3,
    requestHandler: transports.sfn ?? keepAliveHandler(),
  });
  const store = new Store(doc, env.TABLE_NAME);
  const base = loadConfig(env.APTIC_CONFIG);
  return {
    store,
    sfn,
    stateMachineArn: env.STATE_MACHINE_ARN ?? '',
    config: () => effectiveConfig(store, base),
    clock: systemClock,
    newId: newUuid,
    newToken: newRandomToken,
    mailer: env.STEPFUNCTIONS_ENDPOINT || local ? outboxOnlyMailer : sesMailer(env.MAIL_FROM),
    logger,
    metrics: env.AWS_LAMBDA_FUNCTION_NAME ? lambdaMetrics() : logMetrics(overrides.logger ?? logger),
    publicBaseUrl: env.PUBLIC_BASE_URL,
    bankVault: bankVaultFor(env, local),
    ...(env.GEOCODER_URL ? { geocoder: httpGeocoder(env.GEOCODER_URL, overrides.logger ?? logger) } : {}),
    ...(env.COGNITO_CLIENT_ID
      ? {
          // InitiateAuth with a client id is a public API: no credentials, no IAM permission involved.
          cognito: cognitoSignIn(
            { region: env.AWS_REGION, endpoint: env.COGNITO_ENDPOINT, maxAttempts: 2 },
            env.COGNITO_CLIENT_ID,
            systemClock,
          ),
        }
      : {}),
    // The user pool's admins (the daily digest): its own module, the client built on first use.
    ...staffDirectoryFor(env),
    ...overrides,
  };
}

/**
 * KMS when the stack gave this function a key; on one machine the key file under DATA_DIR; a Lambda without the key
 * gets none (its routes do not handle bank details), and a local process without DATA_DIR (tests) a key in memory.
 */
function bankVaultFor(env: RuntimeEnv, local: boolean): Deps['bankVault'] {
  if (env.BANK_KMS_KEY_ID) return kmsVault({ region: env.AWS_REGION, maxAttempts: 3 }, env.BANK_KMS_KEY_ID);
  if (env.DATA_DIR) return keyFileVault(join(env.DATA_DIR, 'bank-vault.key'));
  if (local) return inMemoryVault();
  return undefined;
}

let current: Deps | null = null;

/** Lambdas build their dependencies once per container (cold start); the local server installs its own. */
export function getDeps(): Deps {
  current ??= buildDeps(parseEnv());
  return current;
}

export function setDeps(deps: Deps | null): void {
  current = deps;
}
