import * as z from 'zod';
import { getDeps } from '../../shared/runtime/clients.js';
import { throttledLogin } from '../../shared/usecases/console/login-throttle.js';
import { json, lambdaFor, parseJsonBody, type RouteFactory } from './http.js';

/**
 * POST /api/console/login { email, password } → { token, expiresAt, role }. Throttled per e-mail and per source IP
 * (counters in DynamoDB): 429 with a French message and `retryAfterSeconds`. Replaces login.ts on the same path.
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const body = parseJsonBody(req, z.unknown());
  return json(200, await throttledLogin(deps, body, req.sourceIp));
};
export const handler = lambdaFor(createRoute, getDeps);
