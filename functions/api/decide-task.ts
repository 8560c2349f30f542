import * as z from 'zod';
import { bearerToken, json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { decideTask } from '../../shared/usecases/decisions.js';
import { requireStaff, resolvePrincipal } from '../../shared/usecases/principal.js';
import { taskIdParam } from './params.js';

/** POST /api/console/tasks/:taskId/decision: staff only; the first decision wins, the second gets 409. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = requireStaff(await resolvePrincipal(deps, bearerToken(req), req.authorizerClaims));
  const taskId = taskIdParam(req);
  const body = parseJsonBody(req, z.unknown());
  return json(200, await decideTask(deps, staff, taskId, body));
};
export const handler = lambdaFor(createRoute, getDeps);
