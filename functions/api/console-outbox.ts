import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { consoleStaff, parseQuery } from './console-common.js';
import { OutboxQuerySchema } from './queries.js';

/**
 * GET /api/console/outbox: the latest messages sent to actors, newest first. On one machine this is where e-mail
 * "goes" (nothing leaves it); on AWS it shows what SES was asked to send and whether it was delivered.
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req);
  const { limit } = parseQuery(req, OutboxQuerySchema);
  const messages = await deps.store.outbox.listRecent(limit ?? 50);
  return json(200, {
    messages: messages.map((m) => ({
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
export const handler = lambdaFor(createRoute, getDeps);
