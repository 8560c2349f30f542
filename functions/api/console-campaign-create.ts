import * as z from 'zod';
import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { createCampaign } from '../../shared/usecases/console/campaigns.js';
import { consoleStaff } from './console-common.js';

/** POST /api/console/campaigns (staff) { kind, label, territory?, network?, startsAt?, endsAt?, utm? } → 201 { campaign, path }. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = await consoleStaff(deps, req);
  return json(201, await createCampaign(deps, staff, parseJsonBody(req, z.unknown())));
};
export const handler = lambdaFor(createRoute, getDeps);
