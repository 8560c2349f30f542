import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keepAliveHandler } from '../runtime/http-handler.js';
import { unsignedLocalSigner } from '../runtime/local-signer.js';

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

/** The only place a DynamoDB client is built (shared/runtime/clients.ts calls this once per process). */
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
