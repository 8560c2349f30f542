import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { StimulateSchema, stimulateTerritory } from '../../shared/usecases/console/stimulate.js';
import { consoleStaff } from './console-common.js';

/**
 * POST /api/console/territories/:code/stimulate (staff) { kind: webinar | tour | hub, label, startsAt, endsAt } →
 * 201 { campaign: { code, url }, invitations: { queued, alreadyInvited, optedOut, withoutAddress, prospects } };
 * 200 with the same shape when the same request is sent again (the campaign exists; only missing invitations go).
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const staff = await consoleStaff(deps, req);
  const body = parseJsonBody(req, StimulateSchema);
  const { created, ...result } = await stimulateTerritory(deps, staff, req.params.code ?? '', body);
  return json(created ? 201 : 200, result);
};
export const handler = lambdaFor(createRoute, getDeps);
