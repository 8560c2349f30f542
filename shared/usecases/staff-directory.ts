import type { Store } from '../store/store.js';
import type { Deps, StaffDirectory } from './ports.js';

/** The local accounts (store.staff) as a directory: what `POST /api/console/login` signs in. */
export function localStaffDirectory(store: Store): StaffDirectory {
  return {
    async admins() {
      return (await store.staff.list())
        .filter((a) => a.role === 'admin' && !a.disabled)
        .map((a) => a.email.toLowerCase());
    },
  };
}

/**
 * The enabled admins wherever their account lives: the local accounts, plus the directory the host gives (Cognito on
 * AWS, where admins are created in the user pool and may have no local account). One address once. A directory that
 * fails leaves the local admins (logged): the digest still goes to those it can reach.
 */
export async function enabledAdmins(deps: Deps): Promise<string[]> {
  const local = await localStaffDirectory(deps.store).admins();
  let remote: string[] = [];
  if (deps.staffDirectory) {
    try {
      remote = await deps.staffDirectory.admins();
    } catch (err) {
      deps.logger.warn({ err }, 'staff directory not read; local admins only');
    }
  }
  return [...new Set([...local, ...remote.map((e) => e.toLowerCase())])];
}
