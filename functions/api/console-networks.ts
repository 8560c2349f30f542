import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { listNetworks } from '../../shared/usecases/console/networks.js';
import { consoleStaff } from './console-common.js';

/** GET /api/console/networks (staff): networks with their agreements, and the configuration's list. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req);
  return json(200, await listNetworks(deps));
};
export const handler = lambdaFor(createRoute, getDeps);
