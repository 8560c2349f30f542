import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { getConfigView } from '../../shared/usecases/console/config-admin.js';
import { consoleStaff } from './console-common.js';

/** GET /api/console/config (admin): the configuration in force, the overrides and their version. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req, 'admin');
  return json(200, await getConfigView(deps));
};
export const handler = lambdaFor(createRoute, getDeps);
