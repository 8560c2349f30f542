import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { searchApplications } from '../../shared/usecases/console/search.js';
import { consoleStaff, parseQuery } from './console-common.js';
import { SearchQuerySchema } from './queries.js';

/** GET /api/console/search?q=: applications by SIRET, name, e-mail, commune or id prefix (the search index, no Scan). */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = await consoleStaff(deps, req);
  const { q } = parseQuery(req, SearchQuerySchema);
  return json(200, await searchApplications(deps, staff, q));
};
export const handler = lambdaFor(createRoute, getDeps);
