import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { listErasureRequests } from '../../shared/usecases/erasure.js';
import { consoleStaff } from './console-common.js';

/** GET /api/console/erasures: pending erasure requests on qualified applications, soonest due first (staff tasks). */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req);
  return json(200, { erasures: await listErasureRequests(deps) });
};
export const handler = lambdaFor(createRoute, getDeps);
