import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { openNotices } from '../../shared/usecases/console/network-members.js';
import { consoleStaff } from './console-common.js';

/** GET /api/console/network-notices (staff): members removed from a network's list while they had an application. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req);
  return json(200, await openNotices(deps));
};
export const handler = lambdaFor(createRoute, getDeps);
