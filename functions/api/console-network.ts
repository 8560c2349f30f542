import { HttpError, json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { acknowledgeNotice, inviteMembers, networkOverview } from '../../shared/usecases/console/network-members.js';
import { getNetwork } from '../../shared/usecases/console/networks.js';
import { consoleStaff, networkIdParam } from './console-common.js';
import { siretParam } from './params.js';

/**
 * One Lambda for a network's page (one module keeps the stack under CloudFormation's 500 resources: a route costs 3
 * resources, a function 4 more):
 * - GET /api/console/networks/:id (staff): the network and its members;
 * - GET /api/console/networks/:id/overview (staff): each member's state (not invited, invited, applied, in review,
 *   qualified, refused, closed) with its open final approval's task id, the import history, the removal notices;
 * - POST /api/console/networks/:id/invitations (admin, no body): an e-mail with the network campaign link to each
 *   member who has not applied and was not invited yet → { campaignCode, sent, results: [{ siret, status }] };
 * - POST /api/console/networks/:id/notices/:siret/acknowledge (staff): the removal notice is read; audited.
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const id = networkIdParam(req);
  const action = req.path.replace(/\/+$/, '').split('/').slice(5);
  if (req.method === 'GET' && action.length === 0) {
    await consoleStaff(deps, req);
    return json(200, await getNetwork(deps, id));
  }
  if (req.method === 'GET' && action[0] === 'overview') {
    await consoleStaff(deps, req);
    return json(200, await networkOverview(deps, id));
  }
  if (req.method === 'POST' && action[0] === 'invitations') {
    const admin = await consoleStaff(deps, req, 'admin');
    return json(200, await inviteMembers(deps, admin, id));
  }
  if (req.method === 'POST' && action[0] === 'notices' && action[2] === 'acknowledge') {
    const staff = await consoleStaff(deps, req);
    return json(200, await acknowledgeNotice(deps, staff, id, siretParam(req)));
  }
  throw new HttpError(404, 'not_found', 'Route inconnue.');
};
export const handler = lambdaFor(createRoute, getDeps);
