import * as z from 'zod';
import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { listSubscriptions, subscriptionsCsv } from '../../shared/usecases/console/subscriptions.js';
import { consoleStaff, parseQuery } from './console-common.js';

const Query = z.object({ format: z.enum(['json', 'csv']).optional() }).strict();

/** GET /api/console/subscriptions[?format=csv]: Kit subscriptions for billing (staff). */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req);
  const { format } = parseQuery(req, Query);
  const rows = await listSubscriptions(deps);
  if (format !== 'csv') return json(200, { subscriptions: rows });
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="abonnements-kit-aptic.csv"',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: subscriptionsCsv(rows),
  };
};
export const handler = lambdaFor(createRoute, getDeps);
