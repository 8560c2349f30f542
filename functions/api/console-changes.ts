import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { listChanges } from '../../shared/usecases/console/config-admin.js';
import { consoleStaff, parseQuery } from './console-common.js';
import { ChangesQuerySchema } from './queries.js';

/** GET /api/console/changes (admin): the audit trail of administrative changes, most recent first. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req, 'admin');
  return json(200, await listChanges(deps, parseQuery(req, ChangesQuerySchema)));
};
export const handler = lambdaFor(createRoute, getDeps);
