import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { resetStaffPassword } from '../../shared/usecases/console/staff-admin.js';
import { consoleStaff } from './console-common.js';
import { staffEmailParam } from './params.js';

/** POST /api/console/staff/:email/password (admin): a new generated password, in this answer only. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const admin = await consoleStaff(deps, req, 'admin');
  return json(200, await resetStaffPassword(deps, admin, staffEmailParam(req)), { 'cache-control': 'no-store' });
};
export const handler = lambdaFor(createRoute, getDeps);
