import * as z from 'zod';
import { bearerToken, json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { submitCommitments } from '../../shared/usecases/actor-steps.js';
import { resolvePrincipal } from '../../shared/usecases/principal.js';
import { applicationIdParam } from './params.js';

/** POST /api/applications/:id/commitments: Charte, CGU and Kit, only while that step is open (409 otherwise). */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const id = applicationIdParam(req);
  const principal = await resolvePrincipal(deps, bearerToken(req));
  const body = parseJsonBody(req, z.unknown());
  return json(200, await submitCommitments(deps, principal, id, body));
};
export const handler = lambdaFor(createRoute, getDeps);
