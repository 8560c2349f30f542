import type { z } from 'zod';
import { bearerToken, HttpError, type HttpRequest } from '../../shared/http/http.js';
import { requireConsoleStaff } from '../../shared/usecases/console/access.js';
import type { Deps } from '../../shared/usecases/ports.js';
import type { StaffPrincipal } from '../../shared/usecases/principal.js';

/** The staff member behind a console request: 401 without a valid session, 403 for an actor token or a reviewer on an admin route. */
export function consoleStaff(
  deps: Deps,
  req: HttpRequest,
  role: 'reviewer' | 'admin' = 'reviewer',
): Promise<StaffPrincipal> {
  return requireConsoleStaff(deps, bearerToken(req), role, req.authorizerClaims);
}

export function parseQuery<T>(req: HttpRequest, schema: z.ZodType<T>): T {
  const q = schema.safeParse(req.query);
  if (!q.success) {
    throw new HttpError(400, 'validation_error', 'Paramètres invalides.', {
      fields: q.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return q.data;
}

/** Network ids live with the other path ids (params.ts); re-exported for the console's handlers. */
export { networkIdParam } from './params.js';
