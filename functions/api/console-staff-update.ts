import * as z from 'zod';
import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { changeStaffAccount } from '../../shared/usecases/console/staff-admin.js';
import { consoleStaff } from './console-common.js';
import { staffEmailParam } from './params.js';

/** PUT /api/console/staff/:email (admin): `{ role?, disabled? }`; never the last enabled admin (409). */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const admin = await consoleStaff(deps, req, 'admin');
  const email = staffEmailParam(req);
  return json(200, await changeStaffAccount(deps, admin, email, parseJsonBody(req, z.unknown())));
};
export const handler = lambdaFor(createRoute, getDeps);
