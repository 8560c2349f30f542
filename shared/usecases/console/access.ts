import type { Deps } from '../../runtime/deps.js';
import { requireStaff, resolvePrincipal, type StaffPrincipal } from '../principal.js';

/**
 * Every console use case starts here: the caller is established from the bearer token the server issued (never from
 * what the client claims). No token or an expired session → 401; an actor token → 403; a reviewer on an admin
 * action → 403.
 */
export async function requireConsoleStaff(
  deps: Deps,
  bearer: string | null,
  role: 'reviewer' | 'admin' = 'reviewer',
): Promise<StaffPrincipal> {
  return requireStaff(await resolvePrincipal(deps, bearer), role);
}

/** Staff accounts written before the role was renamed carry `staff`: it means reviewer. */
export const isAdmin = (p: { role: string }): boolean => p.role === 'admin';
