import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { getNetwork } from '../../shared/usecases/console/networks.js';
import { consoleStaff, networkIdParam } from './console-common.js';

/** GET /api/console/networks/:id (staff): the network and its members. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req);
  return json(200, await getNetwork(deps, networkIdParam(req)));
};
export const handler = lambdaFor(createRoute, getDeps);
