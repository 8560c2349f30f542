import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { listStaffMembers } from '../../shared/usecases/console/application-page.js';
import { consoleStaff } from './console-common.js';

/** GET /api/console/staff: the team, to assign a task to someone. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req);
  return json(200, await listStaffMembers(deps));
};
export const handler = lambdaFor(createRoute, getDeps);
