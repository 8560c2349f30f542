import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer } from '../usecases/ports.js';

/** SES on AWS. Failures are reported to the caller, which keeps the outbox record either way. */
export function sesMailer(from: string, client = new SESv2Client({})): Mailer {
  return {
    channel: 'ses',
    async send(mail) {
      await client.send(
        new SendEmailCommand({
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
