import * as z from 'zod';
import { bearerToken, json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { actorEndQualification } from '../../shared/usecases/lifecycle.js';
import { resolvePrincipal } from '../../shared/usecases/principal.js';
import { applicationIdParam } from './params.js';

/** POST /api/applications/:id/end-qualification: the actor ends its own qualification, with a reason. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const id = applicationIdParam(req);
  const principal = await resolvePrincipal(deps, bearerToken(req));
  const body = parseJsonBody(req, z.unknown());
  return json(200, await actorEndQualification(deps, principal, id, body));
};
export const handler = lambdaFor(createRoute, getDeps);
