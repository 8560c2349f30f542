import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inMemoryVault, keyFileVault } from '../../../shared/runtime/bank-vault.js';

describe('bank vault (AES-256-GCM)', () => {
  it('round-trips, and never stores the plaintext', async () => {
    const vault = inMemoryVault();
    const secret = '{"iban":"FR7630006000011234567890189"}';
    const sealed = await vault.encrypt(secret, 'app-1');
    expect(sealed).not.toContain('FR76');
    expect(await vault.decrypt(sealed, 'app-1')).toBe(secret);
    // A fresh IV each time: the same plaintext never gives the same ciphertext.
    expect(await vault.encrypt(secret, 'app-1')).not.toBe(sealed);
  });

  it('refuses a tampered ciphertext, another application, another key', async () => {
    const vault = inMemoryVault();
    const sealed = await vault.encrypt('secret', 'app-1');
    const [v, iv, tag, body] = sealed.split('.') as [string, string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    await expect(vault.decrypt([v, iv, tag, flipped.toString('base64url')].join('.'), 'app-1')).rejects.toThrow();
    await expect(vault.decrypt(sealed, 'app-2')).rejects.toThrow();
    await expect(inMemoryVault().decrypt(sealed, 'app-1')).rejects.toThrow();
    await expect(vault.decrypt('garbage', 'app-1')).rejects.toThrow(/format/);
  });

  it('creates its key file with mode 0600 on first use and reads it afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aptic-vault-'));
    const file = join(dir, 'sub', 'bank-vault.key');
    const sealed = await keyFileVault(file).encrypt('secret', 'app-1');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}$/);
    // Another process (a restart) with the same file decrypts.
    expect(await keyFileVault(file).decrypt(sealed, 'app-1')).toBe('secret');
  });
});

describe('logs never hold bank details', () => {
  it('redacts iban, bic, titulaire and ciphertext at any depth', async () => {
    const { redact } = await import('../../../shared/runtime/redact.js');
    const line = JSON.stringify(
      redact({
        body: { iban: 'FR7630006000011234567890189', bic: 'BNPAFRPP', titulaire: 'Camille Martin' },
        app: { bankDetails: { ciphertext: 'v1.abc', ibanLast: '90189' } },
      }),
    );
    expect(line).not.toMatch(/FR76|BNPAFRPP|Camille|v1\.abc/);
  });
});
