import type { Mailer } from '../usecases/ports.js';

/** Local host: nothing leaves the machine; the outbox item written by the notify use case is the record. */
export const outboxOnlyMailer: Mailer = {
  channel: 'outbox',
  async send() {
    return { delivered: false, channel: 'outbox' };
  },
};
