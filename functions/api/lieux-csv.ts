import { lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { listOpenDataRows, toCsv } from '../../shared/usecases/console/open-data.js';
import { PUBLIC_CACHE } from './lieux.js';

/** GET /api/lieux.csv: the same rows as /api/lieux, as the national schema's CSV (UTF-8, comma, `|` inside cells). */
export const createRoute: RouteFactory = (deps) => async () => {
  const rows = await listOpenDataRows(deps);
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'inline; filename="lieux-mediation-numerique-aptic.csv"',
      'cache-control': PUBLIC_CACHE,
      'access-control-allow-origin': '*',
      'x-content-type-options': 'nosniff',
    },
    body: toCsv(rows),
  };
};
export const handler = lambdaFor(createRoute, getDeps);
