import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { CampaignsQuerySchema, listCampaignsWithFunnel } from '../../shared/usecases/console/campaigns.js';
import { consoleStaff, parseQuery } from './console-common.js';

/**
 * GET /api/console/campaigns[?territory=87] (staff): every link with its funnel (visits → conversations →
 * applications → qualified); with `territory`, that département's links and `funnel`, their sum.
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req);
  return json(200, await listCampaignsWithFunnel(deps, parseQuery(req, CampaignsQuerySchema)));
};
export const handler = lambdaFor(createRoute, getDeps);
