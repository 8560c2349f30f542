import { json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { PassInjectionSchema, savePassInjection } from '../../shared/usecases/console/pass-injections.js';
import { consoleStaff } from './console-common.js';

/**
 * POST /api/console/pass-injections (admin) { financeur, financeurType, territoire: { niveau, code }, passes,
 * valeurFaciale = 10, date, finValidite } → 201 { injection }; with { id, version } a correction → 200 { injection }
 * (409 when the version changed meanwhile).
 */
export const createRoute: RouteFactory = (deps) => async (req) => {
  const admin = await consoleStaff(deps, req, 'admin');
  const { injection, created } = await savePassInjection(deps, admin, parseJsonBody(req, PassInjectionSchema));
  return json(created ? 201 : 200, { injection });
};
export const handler = lambdaFor(createRoute, getDeps);
