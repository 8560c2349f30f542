import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildDeps } from '../../../shared/runtime/clients.js';
import { parseEnv } from '../../../shared/runtime/env.js';
import { lazy } from '../../../shared/runtime/lazy.js';

// The clients that buildDeps builds at first use (shared/runtime/lazy.ts) behave on AWS as the eager ones did: the
// same commands, with the same parameters, from the dependencies of a function with an AWS environment. (That the
// bundles do not import them at init is checked on a bundle: test/infra/chat-bundle.test.ts.)
const kms = mockClient(KMSClient);
const ses = mockClient(SESv2Client);
const cognito = mockClient(CognitoIdentityProviderClient);
afterEach(() => {
  kms.reset();
  ses.reset();
  cognito.reset();
});
// Workers are shared between test files (vitest.config.ts): the SDK classes go back to their own `send`.
afterAll(() => {
  kms.restore();
  ses.restore();
  cognito.restore();
});

const onAws = () =>
  buildDeps(
    parseEnv({
      TABLE_NAME: 'aptic',
      AWS_REGION: 'eu-west-3',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
      MAIL_FROM: 'noreply@aptic.example',
      BANK_KMS_KEY_ID: 'alias/aptic-bank',
      COGNITO_CLIENT_ID: 'client-123',
      LOG_LEVEL: 'silent',
    }),
  );

describe('AWS clients built at first use', () => {
  it('KMS: encrypts and decrypts with the key and the application as encryption context', async () => {
    kms.on(EncryptCommand).resolves({ CiphertextBlob: Buffer.from('sealed') });
    kms.on(DecryptCommand).resolves({ Plaintext: Buffer.from('FR76 secret') });
    const vault = onAws().bankVault!;
    const sealed = await vault.encrypt('FR76 secret', 'app-1');
    expect(sealed).toBe(`kms1.${Buffer.from('sealed').toString('base64url')}`);
    expect(await vault.decrypt(sealed, 'app-1')).toBe('FR76 secret');
    const [enc] = kms.commandCalls(EncryptCommand);
    expect(enc!.args[0].input).toMatchObject({
      KeyId: 'alias/aptic-bank',
      EncryptionContext: { applicationId: 'app-1' },
    });
    const [dec] = kms.commandCalls(DecryptCommand);
    expect(dec!.args[0].input).toMatchObject({
      KeyId: 'alias/aptic-bank',
      EncryptionContext: { applicationId: 'app-1' },
    });
    await expect(vault.decrypt('v1.local', 'app-1')).rejects.toThrow(/format/);
  });

  it('SES v2: sends from MAIL_FROM and reports the delivery', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const { mailer } = onAws();
    expect(mailer.channel).toBe('ses');
    const sent = await mailer.send({ to: 'claire@example.fr', subject: 'Objet', text: 'Corps' });
    expect(sent).toEqual({ delivered: true, channel: 'ses' });
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toMatchObject({
      FromEmailAddress: 'noreply@aptic.example',
      Destination: { ToAddresses: ['claire@example.fr'] },
    });
    // A failure reaches the caller (which keeps the outbox record).
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('throttled'), { name: 'TooManyRequestsException' }));
    await expect(mailer.send({ to: 'a@b.fr', subject: 's', text: 't' })).rejects.toThrow('throttled');
  });

  it('Cognito: signs in with the app client id', async () => {
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'NEW_PASSWORD_REQUIRED' });
    const deps = onAws();
    await expect(
      deps.cognito!.signIn({ email: 'Staff@Example.fr', password: 'a long password' }),
    ).rejects.toMatchObject({
      name: 'SignInChallengeError',
    });
    expect(cognito.commandCalls(InitiateAuthCommand)[0]!.args[0].input).toMatchObject({
      ClientId: 'client-123',
      AuthParameters: { USERNAME: 'staff@example.fr' },
    });
  });
});

describe('lazy', () => {
  it('loads once, and again after a failed load', async () => {
    let calls = 0;
    const value = lazy(async () => {
      calls++;
      if (calls === 1) throw new Error('first load fails');
      return calls;
    });
    await expect(value()).rejects.toThrow('first load fails');
    expect(await value()).toBe(2);
    expect(await value()).toBe(2);
    expect(calls).toBe(2);
  });
});
