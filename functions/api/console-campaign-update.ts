import * as z from 'zod';
import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { changeCampaign } from '../../shared/usecases/console/campaigns.js';
import { consoleStaff } from './console-common.js';
import { campaignCodeParam } from './params.js';

/** PUT /api/console/campaigns/:code (staff) { label?, startsAt?, endsAt?, action?: pause | resume | end } → 200 { campaign, path }. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = await consoleStaff(deps, req);
  const code = campaignCodeParam(req);
  return json(200, await changeCampaign(deps, staff, code, parseJsonBody(req, z.unknown())));
};
export const handler = lambdaFor(createRoute, getDeps);
