import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { getTerritories, TerritoriesQuerySchema } from '../../shared/usecases/console/territories.js';
import { consoleStaff, parseQuery } from './console-common.js';

/** GET /api/console/territories (staff) → { territories: [{ code, nom, passesInjected12m, …, status, reach }] }. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req);
  return json(200, await getTerritories(deps, parseQuery(req, TerritoriesQuerySchema)));
};
export const handler = lambdaFor(createRoute, getDeps);
