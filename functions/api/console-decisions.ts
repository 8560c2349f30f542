import * as z from 'zod';
import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { decideTasks } from '../../shared/usecases/console/bulk-decisions.js';
import { consoleStaff } from './console-common.js';

/** POST /api/console/tasks/decisions: one decision for many tasks, a result per task (each a normal decision). */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = await consoleStaff(deps, req);
  return json(200, await decideTasks(deps, staff, parseJsonBody(req, z.unknown())));
};
export const handler = lambdaFor(createRoute, getDeps);
