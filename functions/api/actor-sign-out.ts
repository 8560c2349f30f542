import { bearerToken, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { signOut } from '../../shared/usecases/actor-sign-in.js';

/** POST /api/actor/sign-out with the actor session token → 204: the session ends at once. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await signOut(deps, bearerToken(req));
  return { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' };
};
export const handler = lambdaFor(createRoute, getDeps);
