import { HttpError, json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { listOpenDataRows } from '../../shared/usecases/console/open-data.js';
import { LieuxQuerySchema } from './queries.js';

/** Public, cacheable by a CDN for a few minutes: the data changes when an actor is qualified, not per request. */
export const PUBLIC_CACHE = 'public, max-age=60';

/**
 * GET /api/lieux: the qualified places whose actors agreed to publication, as a JSON array of national-schema rows
 * (fields in the schema's order; absent optional fields are left out). `?departement=87` narrows it.
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const q = LieuxQuerySchema.safeParse(req.query);
  if (!q.success) throw new HttpError(400, 'validation_error', 'Paramètre « departement » invalide (ex. 87, 2A, 974).');
  const rows = await listOpenDataRows(deps, q.data);
  return json(200, rows, { 'cache-control': PUBLIC_CACHE, 'access-control-allow-origin': '*' });
};
export const handler = lambdaFor(createRoute, getDeps);
