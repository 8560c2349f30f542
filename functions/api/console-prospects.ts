import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { listProspects, ProspectsQuerySchema } from '../../shared/usecases/console/prospects.js';
import { consoleStaff, parseQuery } from './console-common.js';

/**
 * GET /api/console/prospects?departement=87[&applied=true|false] (staff) → { prospects, total, applied }: the
 * département's prospects by name, each with `applied` and `match` ({ applicationId, by: siret | nom_commune }).
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req);
  return json(200, await listProspects(deps, parseQuery(req, ProspectsQuerySchema)));
};
export const handler = lambdaFor(createRoute, getDeps);
