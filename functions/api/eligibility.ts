import * as z from 'zod';
import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { evaluateOnly } from '../../shared/usecases/evaluate.js';

/** POST /api/eligibility: the decision for a document; stores nothing. The document itself is parsed by the use case. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const body = parseJsonBody(req, z.unknown());
  return json(200, await evaluateOnly(deps, body));
};
export const handler = lambdaFor(createRoute, getDeps);
