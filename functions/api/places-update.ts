import * as z from 'zod';
import { bearerToken, json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { updatePlaces } from '../../shared/usecases/places-edit.js';
import { resolvePrincipal } from '../../shared/usecases/principal.js';
import { applicationIdParam } from './params.js';

/** PUT /api/applications/:id/places: the qualified actor's full list of places (409 before qualification). */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const id = applicationIdParam(req);
  const principal = await resolvePrincipal(deps, bearerToken(req));
  const body = parseJsonBody(req, z.unknown());
  return json(200, await updatePlaces(deps, principal, id, body));
};
export const handler = lambdaFor(createRoute, getDeps);
