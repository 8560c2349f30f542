import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { getCoverage } from '../../shared/usecases/console/coverage.js';
import { consoleStaff } from './console-common.js';

/** GET /api/console/coverage (staff): per département, qualified / in progress / waitlisted. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req);
  return json(200, await getCoverage(deps));
};
export const handler = lambdaFor(createRoute, getDeps);
