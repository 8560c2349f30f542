import * as z from 'zod';
import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { saveNetwork } from '../../shared/usecases/console/networks.js';
import { consoleStaff } from './console-common.js';

/** POST /api/console/networks (admin) { id?, name, agreement: { signedAt?, scope? } | null }: create or update. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const admin = await consoleStaff(deps, req, 'admin');
  return json(200, await saveNetwork(deps, admin, parseJsonBody(req, z.unknown())));
};
export const handler = lambdaFor(createRoute, getDeps);
