import * as z from 'zod';
import { HttpError, json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { answerSupportRequest, listSupportRequests } from '../../shared/usecases/support.js';
import { consoleStaff } from './console-common.js';
import { supportIdParam } from './params.js';

/**
 * GET /api/console/support: support requests from the chat (« parler à quelqu’un »), open first, with the time to
 * first answer. POST /api/console/support/:id/answer `{ text }`: the answer, shown in the chat and e-mailed.
 * Any staff member (reviewers answer actors too).
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = await consoleStaff(deps, req);
  if (req.method === 'GET') return json(200, await listSupportRequests(deps, staff));
  if (req.method === 'POST' && req.path.endsWith('/answer')) {
    const id = supportIdParam(req);
    return json(200, await answerSupportRequest(deps, staff, id, parseJsonBody(req, z.unknown())));
  }
  throw new HttpError(404, 'not_found', 'Adresse inconnue.');
};
export const handler = lambdaFor(createRoute, getDeps);
