import * as z from 'zod';
import { getDeps } from '../../shared/runtime/clients.js';
import { login } from '../../shared/usecases/staff-auth.js';
import { json, lambdaFor, parseJsonBody, type RouteFactory } from './http.js';

/** POST /api/console/login → { token } (a staff session, stored hashed, expiring). */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const body = parseJsonBody(req, z.unknown());
  return json(200, await login(deps, body));
};
export const handler = lambdaFor(createRoute, getDeps);
