import * as z from 'zod';
import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { assignTask } from '../../shared/usecases/console/application-page.js';
import { consoleStaff } from './console-common.js';
import { taskIdParam } from './params.js';

/** POST /api/console/tasks/:taskId/assign { assignee: "me" | email | null }: 409 when the task is no longer open. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = await consoleStaff(deps, req);
  const taskId = taskIdParam(req);
  return json(200, await assignTask(deps, staff, taskId, parseJsonBody(req, z.unknown())));
};
export const handler = lambdaFor(createRoute, getDeps);
