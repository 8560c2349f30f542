import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer } from '../usecases/ports.js';
import { lazy } from './lazy.js';

/**
 * SES on AWS. Failures are reported to the caller, which keeps the outbox record either way. The SDK's SES package is
 * imported at the first mail (./lazy.ts): every function gets a mailer, few send anything.
 */
export function sesMailer(from: string, client?: SESv2Client): Mailer {
  const ses = lazy(async () => {
    const sdk = await import('@aws-sdk/client-sesv2');
    return { sdk, client: client ?? new sdk.SESv2Client({}) };
  });
  return {
    channel: 'ses',
    async send(mail) {
      const { sdk, client } = await ses();
      await client.send(
        new sdk.SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: [mail.to] },
          Content: {
            Simple: {
              Subject: { Data: mail.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: mail.text, Charset: 'UTF-8' } },
            },
          },
        }),
      );
      return { delivered: true, channel: 'ses' };
    },
  };
}
