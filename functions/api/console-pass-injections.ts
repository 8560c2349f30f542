import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { listPassInjections, PassInjectionsQuerySchema } from '../../shared/usecases/console/pass-injections.js';
import { consoleStaff, parseQuery } from './console-common.js';

/** GET /api/console/pass-injections[?departement=] (staff) → { injections }, newest first. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req);
  return json(200, await listPassInjections(deps, parseQuery(req, PassInjectionsQuerySchema)));
};
export const handler = lambdaFor(createRoute, getDeps);
