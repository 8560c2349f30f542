import * as z from 'zod';
import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { submitApplication } from '../../shared/usecases/submit-application.js';

const HeadersSchema = z.object({ 'idempotency-key': z.string().trim().min(8).max(100).optional() });

/** POST /api/applications: 201 with the actor token (shown once), 400 field errors, 409 SIRET already used. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const body = parseJsonBody(req, z.unknown());
  const headers = HeadersSchema.safeParse(req.headers);
  const result = await submitApplication(deps, body, {
    idempotencyKey: headers.success ? headers.data['idempotency-key'] : undefined,
    source: 'api',
  });
  const { existing, ...payload } = result;
  return json(existing ? 200 : 201, payload, { location: `/api/applications/${result.id}` });
};
export const handler = lambdaFor(createRoute, getDeps);
