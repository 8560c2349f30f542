import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { getConsoleApplication } from '../../shared/usecases/console/application-page.js';
import { consoleStaff } from './console-common.js';
import { applicationIdParam } from './params.js';

/** GET /api/console/applications/:id: answers, explained flags, places, timeline, tasks (staff only). */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = await consoleStaff(deps, req);
  return json(200, await getConsoleApplication(deps, staff, applicationIdParam(req)));
};
export const handler = lambdaFor(createRoute, getDeps);
