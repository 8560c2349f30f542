import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { networkOverview } from '../../shared/usecases/console/network-members.js';
import { consoleStaff, networkIdParam } from './console-common.js';

/**
 * GET /api/console/networks/:id/overview (staff): each member's state (not invited, invited, applied, in review,
 * qualified, refused, closed) with its open final approval's task id, the import history and the removal notices.
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req);
  return json(200, await networkOverview(deps, networkIdParam(req)));
};
export const handler = lambdaFor(createRoute, getDeps);
