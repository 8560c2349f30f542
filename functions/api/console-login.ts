import * as z from 'zod';
import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { DEFAULT_LOGIN_LIMITS, throttledLogin } from '../../shared/usecases/console/login-throttle.js';

/**
 * POST /api/console/login { email, password } → { token, expiresAt, role }. Throttled per e-mail and per source IP
 * (counters in DynamoDB): 429 with a French message and `retryAfterSeconds`. Replaces login.ts on the same path.
 *
 * On AWS (COGNITO_CLIENT_ID set) the password is checked by the Cognito user pool (InitiateAuth, USER_PASSWORD_AUTH)
 * and the token is Cognito's ID token, which the staff routes' JWT authorizer verifies. A challenge Cognito raises
 * (first sign-in's new password, TOTP) → 409 `challenge_required` with the challenge name (docs/console.md).
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const body = parseJsonBody(req, z.unknown());
  const cognito = deps.cognito;
  if (!cognito) return json(200, await throttledLogin(deps, body, req.sourceIp));
  // A challenge throws SignInChallengeError, which declares its own answer (409 `challenge_required`, `challenge`).
  return json(
    200,
    await throttledLogin(deps, body, req.sourceIp, DEFAULT_LOGIN_LIMITS, (_deps, input) => cognito.signIn(input)),
  );
};
export const handler = lambdaFor(createRoute, getDeps);
