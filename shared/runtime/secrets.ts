import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * A secret's string value from Secrets Manager, read once per cold start by the function that needs it. Refuses a
 * value shorter than `minLength` (a secret that signs tokens must not be guessable), without ever logging it. The
 * SDK's package is imported here, at the call, not when the module loads: only the chat function on AWS reads one.
 */
export async function loadSecretString(
  arn: string,
  options: { minLength?: number; client?: SecretsManagerClient } = {},
): Promise<string> {
  const sdk = await import('@aws-sdk/client-secrets-manager');
  const client = options.client ?? new sdk.SecretsManagerClient({ maxAttempts: 3 });
  const out = await client.send(new sdk.GetSecretValueCommand({ SecretId: arn }));
  const value = out.SecretString;
  if (typeof value !== 'string' || value.length < (options.minLength ?? 32)) {
    throw new Error(`secret ${arn} has no usable string value`);
  }
  return value;
}
