import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { inviteMembers } from '../../shared/usecases/console/network-members.js';
import { consoleStaff, networkIdParam } from './console-common.js';

/**
 * POST /api/console/networks/:id/invitations (admin, no body): an e-mail with the network campaign link to each
 * member who has not applied and was not invited yet → 200 { campaignCode, sent, results: [{ siret, status }] }.
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const admin = await consoleStaff(deps, req, 'admin');
  return json(200, await inviteMembers(deps, admin, networkIdParam(req)));
};
export const handler = lambdaFor(createRoute, getDeps);
