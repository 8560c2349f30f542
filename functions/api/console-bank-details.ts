import * as z from 'zod';
import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { revealBankDetails, validateBankDetails } from '../../shared/usecases/bank-details.js';
import { consoleStaff } from './console-common.js';
import { applicationIdParam } from './params.js';

/**
 * GET /api/console/applications/:id/bank-details (the details in full, each read audited) and
 * POST /api/console/applications/:id/bank-details/validation `{ valid, comment? }`: admin only.
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = await consoleStaff(deps, req, 'admin');
  const id = applicationIdParam(req);
  if (req.method === 'GET') return json(200, await revealBankDetails(deps, staff, id));
  const body = parseJsonBody(req, z.unknown());
  return json(200, await validateBankDetails(deps, staff, id, body));
};
export const handler = lambdaFor(createRoute, getDeps);
