import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { listStaffMembers } from '../../shared/usecases/console/application-page.js';
import { requireStaff } from '../../shared/usecases/principal.js';
import { consoleStaff, parseQuery } from './console-common.js';
import { StaffListQuerySchema } from './queries.js';

/** GET /api/console/staff: the team, to assign a task to someone; `?all=1` (admins): disabled accounts too. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = await consoleStaff(deps, req);
  const { all } = parseQuery(req, StaffListQuerySchema);
  if (all) requireStaff(staff, 'admin');
  return json(200, await listStaffMembers(deps, { all }), { 'cache-control': 'no-store' });
};
export const handler = lambdaFor(createRoute, getDeps);
