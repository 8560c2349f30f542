import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { listCampaignsWithFunnel } from '../../shared/usecases/console/campaigns.js';
import { consoleStaff } from './console-common.js';

/** GET /api/console/campaigns (staff): every link with its funnel (visits → conversations → applications → qualified). */
export const createRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req);
  return json(200, await listCampaignsWithFunnel(deps));
};
export const handler = lambdaFor(createRoute, getDeps);
