import { bearerToken, HttpError, json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { listInbox } from '../../shared/usecases/inbox.js';
import { requireStaff, resolvePrincipal } from '../../shared/usecases/principal.js';
import { ListTasksQuerySchema } from './queries.js';

/** GET /api/console/tasks: open steps from the DynamoDB inbox index (never ListExecutions), oldest first. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  requireStaff(await resolvePrincipal(deps, bearerToken(req), req.authorizerClaims));
  const q = ListTasksQuerySchema.safeParse(req.query);
  if (!q.success) {
    throw new HttpError(400, 'validation_error', 'Filtre invalide.', {
      fields: q.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return json(200, await listInbox(deps, q.data));
};
export const handler = lambdaFor(createRoute, getDeps);
