import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { SignInVerifySchema, verifySignIn } from '../../shared/usecases/actor-sign-in.js';

/**
 * POST /api/actor/sign-in/verify `{ code }` → 200 `{ token, expiresAt, applications: [{ id, stage, nom }] }`;
 * a used, expired or unknown code → 401 with a French message.
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const body = parseJsonBody(req, SignInVerifySchema);
  return json(200, await verifySignIn(deps, body));
};
export const handler = lambdaFor(createRoute, getDeps);
