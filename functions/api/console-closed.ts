import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { closedApplicationsCsv, listClosedApplications } from '../../shared/usecases/console/closed.js';
import { consoleStaff, parseQuery } from './console-common.js';
import { ClosedQuerySchema } from './queries.js';

/**
 * GET /api/console/closed: closed applications (qualified, refused, expired, not eligible, withdrawn…), most recent
 * first, filtered by stage, département and dates. GET /api/console/closed.csv: the same filter, every page, as CSV.
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req);
  const q = parseQuery(req, ClosedQuerySchema);
  if (!req.path.endsWith('.csv'))
    return json(200, await listClosedApplications(deps, q), { 'cache-control': 'no-store' });
  const { limit: _l, cursor: _c, ...filter } = q;
  const { csv, rows, truncated } = await closedApplicationsCsv(deps, filter);
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="demandes-closes.csv"',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-rows': String(rows),
      'x-truncated': String(truncated),
    },
    body: csv,
  };
};
export const handler = lambdaFor(createRoute, getDeps);
