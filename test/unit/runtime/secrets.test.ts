import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadSecretString } from '../../../shared/runtime/secrets.js';

const sm = mockClient(SecretsManagerClient);
afterEach(() => sm.reset());
// Workers are shared between test files (vitest.config.ts): the SDK class goes back to its own `send`.
afterAll(() => sm.restore());
const ARN = 'arn:aws:secretsmanager:eu-west-3:123456789012:secret:ChatSessionSecret-AbCdEf';

describe('loadSecretString', () => {
  it('returns the secret string of the given secret', async () => {
    sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: 'k'.repeat(64) });
    expect(await loadSecretString(ARN, { client: new SecretsManagerClient({}) })).toBe('k'.repeat(64));
  });

  it('refuses a missing or short value without putting it in the error', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'short-secret' });
    const err = await loadSecretString(ARN, { minLength: 43, client: new SecretsManagerClient({}) }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String(err.message)).not.toContain('short-secret');
    sm.on(GetSecretValueCommand).resolves({});
    await expect(loadSecretString(ARN, { client: new SecretsManagerClient({}) })).rejects.toThrow(/no usable/);
  });

  it('lets an AWS fault through (the cold start fails and the next request retries)', async () => {
    sm.on(GetSecretValueCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(loadSecretString(ARN, { client: new SecretsManagerClient({}) })).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });
});
