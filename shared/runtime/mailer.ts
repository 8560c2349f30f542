/**
 * E-mail to actors. On AWS it is SES (functions get `ses:SendEmail` on one identity); on one machine the message is
 * only kept in the store's outbox, which staff read in the console. Either way the message is also kept for the chat.
 */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Where a message goes: `outbox` means nothing leaves the machine (the stored message is the record). */
  readonly channel: 'ses' | 'outbox';
  send(mail: OutgoingMail): Promise<{ delivered: boolean; channel: 'ses' | 'outbox' }>;
}

/** Local host: nothing leaves the machine; the outbox item written by the notify use case is the record. */
export const outboxOnlyMailer: Mailer = {
  channel: 'outbox',
  async send() {
    return { delivered: false, channel: 'outbox' };
  },
};
