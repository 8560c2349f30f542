import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import type { OutboxMessage } from '../../shared/store/store.js';
import { consoleStaff, parseQuery } from './console-common.js';
import { OutboxQuerySchema } from './queries.js';

/**
 * GET /api/console/outbox: the latest messages sent to actors, newest first. On one machine this is where e-mail
 * "goes" (nothing leaves it); on AWS it shows what SES was asked to send and whether it was delivered.
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req);
  const { limit, applicationId, state } = parseQuery(req, OutboxQuerySchema);
  const messages = applicationId
    ? (await deps.store.outbox.list(applicationId))
        .reverse()
        .filter((m) => !state || stateOf(m) === state)
        .slice(0, limit ?? 50)
    : await deps.store.outbox.listRecent(limit ?? 50, state);
  return json(200, {
    messages: messages.map((m) => ({
      key: m.key,
      state: stateOf(m),
      applicationId: m.applicationId,
      at: m.at,
      stage: m.stage ?? null,
      to: m.to ?? null,
      subject: m.subject,
      text: m.text,
      channel: m.channel,
      delivered: m.delivered,
    })),
  });
};
/** sent: delivered; waiting: an e-mail not delivered yet; kept: no e-mail on this host (the message is the record). */
function stateOf(m: OutboxMessage): 'sent' | 'waiting' | 'kept' {
  return m.delivered ? 'sent' : m.channel === 'outbox' ? 'kept' : 'waiting';
}

export const handler = lambdaFor(createRoute, getDeps);
