import * as z from 'zod';
import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { submitApplication } from '../../shared/usecases/submit-application.js';

const HeadersSchema = z.object({ 'idempotency-key': z.string().trim().min(8).max(100).optional() });

/**
 * POST /api/applications: 201 with the actor token (shown once), 400 field errors, 409 SIRET already used, 429 too
 * many submissions (Retry-After). With an `Idempotency-Key` already used for this SIRET: the same body → 200 with the
 * same decision, `existing: true` and no token (it was given with the first answer); another body → 422.
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const body = parseJsonBody(req, z.unknown());
  const headers = HeadersSchema.safeParse(req.headers);
  const result = await submitApplication(deps, body, {
    idempotencyKey: headers.success ? headers.data['idempotency-key'] : undefined,
    source: 'api',
    sourceIp: req.sourceIp || 'unknown',
  });
  const location = { location: `/api/applications/${result.id}` };
  if (result.existing) return json(200, result, location);
  const { existing: _, ...payload } = result;
  return json(201, payload, location);
};
export const handler = lambdaFor(createRoute, getDeps);
