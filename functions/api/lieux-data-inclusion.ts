import { HttpError, json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { listDataInclusion } from '../../shared/usecases/console/data-inclusion.js';
import { PUBLIC_CACHE } from './lieux.js';
import { LieuxQuerySchema } from './queries.js';

/**
 * GET /api/lieux/data-inclusion[?departement=87]: the same places as /api/lieux in the data·inclusion schema,
 * `{ structures, services }` (one structure and one « Médiation numérique » service per place, as the national map's
 * library maps them).
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const q = LieuxQuerySchema.safeParse(req.query);
  if (!q.success) throw new HttpError(400, 'validation_error', 'Paramètre « departement » invalide (ex. 87, 2A, 974).');
  return json(200, await listDataInclusion(deps, q.data), {
    'cache-control': PUBLIC_CACHE,
    'access-control-allow-origin': '*',
  });
};
export const handler = lambdaFor(createRoute, getDeps);
