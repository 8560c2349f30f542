import { getDeps } from '../../shared/runtime/clients.js';
import { logout } from '../../shared/usecases/staff-auth.js';
import { consoleStaff } from './console-common.js';
import { json, lambdaFor, type RouteFactory } from './http.js';

/** POST /api/console/logout: ends the session of the token presented. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = await consoleStaff(deps, req);
  await logout(deps, staff.sessionHash);
  return json(200, { ok: true });
};
export const handler = lambdaFor(createRoute, getDeps);
