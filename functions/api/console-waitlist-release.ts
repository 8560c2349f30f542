import * as z from 'zod';
import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { releaseWaitlist } from '../../shared/usecases/console/waitlist.js';
import { consoleStaff } from './console-common.js';

/** POST /api/console/waitlist/release (admin) { departement?, phase?, dryRun?, limit? }. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const admin = await consoleStaff(deps, req, 'admin');
  return json(200, await releaseWaitlist(deps, admin, parseJsonBody(req, z.unknown())));
};
export const handler = lambdaFor(createRoute, getDeps);
