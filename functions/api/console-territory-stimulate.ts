import { json, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { StimulateSchema, stimulateTerritory } from '../../shared/usecases/console/stimulate.js';
import { consoleStaff } from './console-common.js';

/**
 * Served by the Lambda of console-prospects.ts (one function for the prospect routes).
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
