import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { requestSignIn, SignInRequestSchema } from '../../shared/usecases/actor-sign-in.js';

/**
 * POST /api/actor/sign-in `{ courriel }` → 202 `{ message }`, the same words and a similar time whatever the
 * address (no account enumeration); 429 + Retry-After beyond the per-address or per-IP limit.
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const body = parseJsonBody(req, SignInRequestSchema);
  return json(202, await requestSignIn(deps, body, { ip: req.sourceIp || null }));
};
export const handler = lambdaFor(createRoute, getDeps);
