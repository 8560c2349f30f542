import { randomBytes } from 'node:crypto';
import type { Deps } from './ports.js';
import { createStaff } from './staff-auth.js';

/**
 * On a new store, the first staff account (an admin) comes from STAFF_EMAIL / STAFF_PASSWORD, or gets a generated
 * password printed once on the console. Never overwrites an existing account.
 */
export async function ensureFirstStaff(
  deps: Deps,
  given: { email?: string; password?: string },
): Promise<{ created: boolean; email?: string; generatedPassword?: string }> {
  const existing = await deps.store.staff.list();
  if (existing.length > 0) return { created: false };
  const email = (given.email ?? 'admin@aptic.local').toLowerCase();
  const generated = given.password ? undefined : randomBytes(12).toString('base64url');
  await createStaff(deps, { email, password: given.password ?? generated, role: 'admin' }, 'bootstrap');
  return { created: true, email, generatedPassword: generated };
}
