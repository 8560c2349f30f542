import * as z from 'zod';
import { DepartementCodeSchema } from '../../shared/domain/geography.js';
import { HumanStepSchema } from '../../shared/domain/path.js';
import { bearerToken, HttpError, json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { listInbox } from '../../shared/usecases/inbox.js';
import { requireStaff, resolvePrincipal } from '../../shared/usecases/principal.js';

const QuerySchema = z
  .object({
    step: HumanStepSchema.optional(),
    route: z.enum(['reseau', 'territoriale', 'libre']).optional(),
    phase: z.coerce
      .number()
      .pipe(z.union([z.literal(1), z.literal(2), z.literal(3)]))
      .optional(),
    departement: DepartementCodeSchema.optional(),
    flag: z
      .string()
      .regex(/^[a-z_]{2,40}$/)
      .optional(),
    assignee: z.string().max(254).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: z.string().max(2000).optional(),
  })
  .strict();

/** GET /api/console/tasks: open steps from the DynamoDB inbox index (never ListExecutions), oldest first. */
export const createRoute: RouteFactory = (deps) => async (req) => {
  requireStaff(await resolvePrincipal(deps, bearerToken(req), req.authorizerClaims));
  const q = QuerySchema.safeParse(req.query);
  if (!q.success) {
    throw new HttpError(400, 'validation_error', 'Filtre invalide.', {
      fields: q.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return json(200, await listInbox(deps, q.data));
};
export const handler = lambdaFor(createRoute, getDeps);
