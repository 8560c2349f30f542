import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { consoleStaff } from './console-common.js';

/** GET /api/console/me: who is signed in (the pages show admin links only to admins; the API enforces it anyway). */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = await consoleStaff(deps, req);
  return json(200, { email: staff.email, role: staff.role === 'admin' ? 'admin' : 'reviewer' });
};
export const handler = lambdaFor(createRoute, getDeps);
