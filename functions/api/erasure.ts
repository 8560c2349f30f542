import { bearerToken, json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { requestErasure } from '../../shared/usecases/erasure.js';
import { resolvePrincipal } from '../../shared/usecases/principal.js';
import { applicationIdParam } from './params.js';

/**
 * POST /api/applications/:id/erasure (the actor's token, or an admin session): 200 `{ status: 'erased', message }`
 * when done at once, 202 `{ status: 'pending', dueAt, message }` when it became a staff task (qualified).
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const id = applicationIdParam(req);
  const principal = await resolvePrincipal(deps, bearerToken(req));
  const result = await requestErasure(deps, principal, id);
  return json(result.status === 'pending' ? 202 : 200, result);
};
export const handler = lambdaFor(createRoute, getDeps);
