import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * A secret's string value from Secrets Manager, read once per cold start by the function that needs it. Refuses a
 * value shorter than `minLength` (a secret that signs tokens must not be guessable), without ever logging it.
 */
export async function loadSecretString(
  arn: string,
  options: { minLength?: number; client?: SecretsManagerClient } = {},
): Promise<string> {
  const client = options.client ?? new SecretsManagerClient({ maxAttempts: 3 });
  const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  const value = out.SecretString;
  if (typeof value !== 'string' || value.length < (options.minLength ?? 32)) {
    throw new Error(`secret ${arn} has no usable string value`);
  }
  return value;
}
