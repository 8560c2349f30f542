import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { listProspects, ProspectsQuerySchema } from '../../shared/usecases/console/prospects.js';
import { consoleStaff, parseQuery } from './console-common.js';
import { createRoute as importRoute } from './console-prospects-import.js';
import { createRoute as stimulateRoute } from './console-territory-stimulate.js';

/**
 * GET /api/console/prospects?departement=87[&applied=true|false] (staff) → { prospects, total, applied }: the
 * département's prospects by name, each with `applied` and `match` ({ applicationId, by: siret | nom_commune }).
 */
const listRoute: RouteFactory = (deps) => async (req) => {
  await consoleStaff(deps, req);
  return json(200, await listProspects(deps, parseQuery(req, ProspectsQuerySchema)));
};

/**
 * One Lambda for the prospect routes (list, import, stimulate): CloudFormation allows 500 resources per stack and
 * each function costs four (function, role, policy, log group). The import and stimulation handlers live in their
 * own modules; this entry dispatches by method and path.
 */
export const createRoute: RouteFactory = (deps) => {
  const list = listRoute(deps);
  const importFile = importRoute(deps);
  const stimulate = stimulateRoute(deps);
  return async (req) => {
    if (req.method === 'POST' && req.path.endsWith('/stimulate')) return stimulate(req);
    if (req.method === 'POST') return importFile(req);
    return list(req);
  };
};
export const handler = lambdaFor(createRoute, getDeps);
