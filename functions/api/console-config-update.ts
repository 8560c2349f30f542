import * as z from 'zod';
import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { updateConfig } from '../../shared/usecases/console/config-admin.js';
import { consoleStaff } from './console-common.js';

/** PUT /api/console/config (admin) { version, set: { phasesOpen?, volumeCaps?, … } }: 409 when the version moved. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const admin = await consoleStaff(deps, req, 'admin');
  return json(200, await updateConfig(deps, admin, parseJsonBody(req, z.unknown())));
};
export const handler = lambdaFor(createRoute, getDeps);
