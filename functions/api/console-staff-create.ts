import * as z from 'zod';
import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { createStaffAccount } from '../../shared/usecases/console/staff-admin.js';
import { consoleStaff } from './console-common.js';

/** POST /api/console/staff (admin): a new local account; its generated password is in this answer only. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const admin = await consoleStaff(deps, req, 'admin');
  return json(201, await createStaffAccount(deps, admin, parseJsonBody(req, z.unknown())), {
    'cache-control': 'no-store',
  });
};
export const handler = lambdaFor(createRoute, getDeps);
