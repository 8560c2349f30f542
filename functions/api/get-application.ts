import { bearerToken, json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { getApplicationView } from '../../shared/usecases/application-view.js';
import { resolvePrincipal } from '../../shared/usecases/principal.js';
import { applicationIdParam } from './params.js';

/** GET /api/applications/:id with the actor's token or a staff session. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const id = applicationIdParam(req);
  const principal = await resolvePrincipal(deps, bearerToken(req));
  return json(200, await getApplicationView(deps, principal, id));
};
export const handler = lambdaFor(createRoute, getDeps);
