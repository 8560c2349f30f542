import * as z from 'zod';
import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { addComment } from '../../shared/usecases/console/application-page.js';
import { consoleStaff } from './console-common.js';
import { applicationIdParam } from './params.js';

/** POST /api/console/applications/:id/comments { comment } (4,000 characters at most) → 201, a history event. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = await consoleStaff(deps, req);
  const id = applicationIdParam(req);
  return json(201, await addComment(deps, staff, id, parseJsonBody(req, z.unknown())));
};
export const handler = lambdaFor(createRoute, getDeps);
