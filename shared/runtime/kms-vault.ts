import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { BankVault } from '../usecases/ports.js';

/**
 * AWS: the bank details are encrypted by KMS directly (a few hundred bytes, far under KMS's 4 KB limit, so no data-key
 * envelope is needed). The application id goes in as encryption context: CloudTrail shows which application each
 * Decrypt was for, and a ciphertext moved to another application does not decrypt. The key (infra/stack.ts) rotates
 * yearly; KMS keeps the old versions, so old ciphertexts still decrypt.
 */
export function kmsVault(client: KMSClient, keyId: string): BankVault {
  return {
    async encrypt(plaintext, context) {
      const out = await client.send(
        new EncryptCommand({
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
      const out = await client.send(
        new DecryptCommand({
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
