import type { KMSClient, KMSClientConfig } from '@aws-sdk/client-kms';
import type { BankVault } from '../usecases/ports.js';
import { lazy } from './lazy.js';

/**
 * AWS: the bank details are encrypted by KMS directly (a few hundred bytes, far under KMS's 4 KB limit, so no data-key
 * envelope is needed). The application id goes in as encryption context: CloudTrail shows which application each
 * Decrypt was for, and a ciphertext moved to another application does not decrypt. The key (infra/stack.ts) rotates
 * yearly; KMS keeps the old versions, so old ciphertexts still decrypt.
 *
 * The SDK's KMS package is imported at the first encrypt or decrypt (./lazy.ts): most requests of the functions that
 * hold the key never touch bank details. `client` is a client to use (tests) or the configuration of the one to build.
 */
export function kmsVault(client: KMSClient | KMSClientConfig, keyId: string): BankVault {
  const kms = lazy(async () => {
    const sdk = await import('@aws-sdk/client-kms');
    return { sdk, client: client instanceof sdk.KMSClient ? client : new sdk.KMSClient(client as KMSClientConfig) };
  });
  return {
    async encrypt(plaintext, context) {
      const { sdk, client } = await kms();
      const out = await client.send(
        new sdk.EncryptCommand({
          KeyId: keyId,
          Plaintext: Buffer.from(plaintext, 'utf8'),
          EncryptionContext: { applicationId: context },
        }),
      );
      if (!out.CiphertextBlob) throw new Error('KMS returned no ciphertext');
      return `kms1.${Buffer.from(out.CiphertextBlob).toString('base64url')}`;
    },
    async decrypt(ciphertext, context) {
      if (!ciphertext.startsWith('kms1.')) throw new Error('bank vault: unknown ciphertext format');
      const { sdk, client } = await kms();
      const out = await client.send(
        new sdk.DecryptCommand({
          KeyId: keyId,
          CiphertextBlob: Buffer.from(ciphertext.slice(5), 'base64url'),
          EncryptionContext: { applicationId: context },
        }),
      );
      if (!out.Plaintext) throw new Error('KMS returned no plaintext');
      return Buffer.from(out.Plaintext).toString('utf8');
    },
  };
}
