import type { Deps } from '../ports.js';
import { requireStaff, resolvePrincipal, type StaffPrincipal } from '../principal.js';

/**
 * Every console use case starts here: the caller is established from the bearer token the server issued, or on AWS
 * from the claims of a Cognito token API Gateway verified (never from what the client claims). No token or an expired
 * session → 401; an actor token → 403; a reviewer on an admin action → 403.
 */
export async function requireConsoleStaff(
  deps: Deps,
  bearer: string | null,
  role: 'reviewer' | 'admin' = 'reviewer',
  claims?: Record<string, unknown>,
): Promise<StaffPrincipal> {
  return requireStaff(await resolvePrincipal(deps, bearer, claims), role);
}

/** Staff accounts written before the role was renamed carry `staff`: it means reviewer. */
export const isAdmin = (p: { role: string }): boolean => p.role === 'admin';
