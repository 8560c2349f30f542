import { bearerToken, json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { exportApplication } from '../../shared/usecases/my-data.js';
import { resolvePrincipal } from '../../shared/usecases/principal.js';
import { applicationIdParam } from './params.js';

/** GET /api/applications/:id/export (the actor's token, or staff): everything held about the application, as JSON. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const id = applicationIdParam(req);
  const principal = await resolvePrincipal(deps, bearerToken(req));
  return json(200, await exportApplication(deps, principal, id), {
    'content-disposition': `attachment; filename="aptic-demande-${id}.json"`,
    'cache-control': 'no-store',
  });
};
export const handler = lambdaFor(createRoute, getDeps);
