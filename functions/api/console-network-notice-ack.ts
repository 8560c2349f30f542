import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { acknowledgeNotice } from '../../shared/usecases/console/network-members.js';
import { consoleStaff, networkIdParam } from './console-common.js';
import { siretParam } from './params.js';

/** POST /api/console/networks/:id/notices/:siret/acknowledge (staff): the removal notice is read; audited. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = await consoleStaff(deps, req);
  return json(200, await acknowledgeNotice(deps, staff, networkIdParam(req), siretParam(req)));
};
export const handler = lambdaFor(createRoute, getDeps);
