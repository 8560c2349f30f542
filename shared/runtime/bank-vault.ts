import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BankVault } from '../usecases/ports.js';

/**
 * The local bank vault: AES-256-GCM, a fresh 96-bit IV per message, the application id as additional authenticated
 * data (a ciphertext moved to another application fails its tag). Format: `v1.<iv>.<tag>.<ciphertext>` (base64url).
 * The key is 32 random bytes; where it lives is the caller's choice (a key file under DATA_DIR, or memory in tests).
 */
export function aesGcmVault(key: Buffer | (() => Promise<Buffer>)): BankVault {
  let loaded: Promise<Buffer> | null = null;
  const getKey = () => {
    loaded ??= Promise.resolve(typeof key === 'function' ? key() : key).then((k) => {
      if (k.length !== 32) throw new Error('bank vault key must be 32 bytes');
      return k;
    });
    return loaded;
  };
  return {
    async encrypt(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', await getKey(), iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    async decrypt(ciphertext, context) {
      const [version, iv, tag, body] = ciphertext.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined)
        throw new Error('bank vault: unknown ciphertext format');
      const decipher = createDecipheriv('aes-256-gcm', await getKey(), Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      // final() throws on a wrong tag: altered text, another key or another application.
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/** Tests: a vault whose key lives only in this process. */
export function inMemoryVault(): BankVault {
  return aesGcmVault(randomBytes(32));
}

/**
 * One machine: the key file `<DATA_DIR>/bank-vault.key` (32 random bytes, hex), created with mode 0600 on first use and
 * read afterwards. Losing it loses the stored bank details (the actors enter them again); back it up apart from the data.
 */
export function keyFileVault(path: string): BankVault {
  return aesGcmVault(async () => {
    try {
      return Buffer.from((await readFile(path, 'utf8')).trim(), 'hex');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    await mkdir(dirname(path), { recursive: true });
    const key = randomBytes(32);
    try {
      // `wx`: two processes starting at once do not overwrite each other's key; the loser reads the winner's.
      await writeFile(path, key.toString('hex'), { mode: 0o600, flag: 'wx' });
      await chmod(path, 0o600);
      return key;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      return Buffer.from((await readFile(path, 'utf8')).trim(), 'hex');
    }
  });
}
