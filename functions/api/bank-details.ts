import * as z from 'zod';
import { bearerToken, json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { submitBankDetails } from '../../shared/usecases/bank-details.js';
import { resolvePrincipal } from '../../shared/usecases/principal.js';
import { applicationIdParam } from './params.js';

/** PUT /api/applications/:id/bank-details `{ iban, bic, titulaire }`: the actor; 200 with the masked view. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const id = applicationIdParam(req);
  const principal = await resolvePrincipal(deps, bearerToken(req));
  const body = parseJsonBody(req, z.unknown());
  return json(200, await submitBankDetails(deps, principal, id, body));
};
export const handler = lambdaFor(createRoute, getDeps);
