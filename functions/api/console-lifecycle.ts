import * as z from 'zod';
import { HttpError, json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { staffLifecycleMove, staffReleaseSiret } from '../../shared/usecases/lifecycle.js';
import { consoleStaff } from './console-common.js';
import { applicationIdParam } from './params.js';

const MOVES = { suspend: 'suspended', reinstate: 'reinstated', withdraw: 'withdrawn' } as const;

/**
 * POST /api/console/applications/:id/suspend | reinstate | withdraw `{ reason }` (reason optional to reinstate) and
 * POST /api/console/applications/:id/release-siret `{ reason? }`: admin only, audited, recorded in the history.
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = await consoleStaff(deps, req, 'admin');
  const id = applicationIdParam(req);
  const action = req.path.split('/').pop() ?? '';
  const body = parseJsonBody(req, z.unknown());
  if (action === 'release-siret') return json(200, await staffReleaseSiret(deps, staff, id, body));
  const move = MOVES[action as keyof typeof MOVES];
  if (!move) throw new HttpError(404, 'not_found', 'Action inconnue.');
  return json(200, await staffLifecycleMove(deps, staff, id, move, body));
};
export const handler = lambdaFor(createRoute, getDeps);
