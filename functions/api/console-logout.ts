import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { logout } from '../../shared/usecases/staff-auth.js';
import { consoleStaff } from './console-common.js';

/**
 * POST /api/console/logout: ends the session of the token presented. On AWS (Cognito token, no local session) there
 * is nothing stored to delete: the console drops the token, which expires within the hour.
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = await consoleStaff(deps, req);
  if (staff.sessionHash) await logout(deps, staff.sessionHash);
  return json(200, { ok: true });
};
export const handler = lambdaFor(createRoute, getDeps);
