import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import type { StaffAccount } from '../../store/store.js';
import { UseCaseError } from '../errors.js';
import type { Deps } from '../ports.js';
import type { StaffPrincipal } from '../principal.js';
import { createStaff, hashPassword, StaffRoleSchema } from '../staff-auth.js';
import { ConsoleConflictError, ConsoleValidationError } from './errors.js';

/**
 * Staff accounts managed by admins in the console (local accounts: the ones `POST /api/console/login` signs in;
 * on AWS the console signs in through Cognito, see docs/console.md « Staff accounts » for the equivalent calls).
 * Generated passwords are returned once and never stored in clear; every change is audited (store.audit).
 * The rule « no one removes or demotes the last admin » holds without transactions: the change is a conditional
 * write on what was read, then the admins are counted again; a change that left no enabled admin (two admins
 * demoting each other at once) is undone, conditionally, and refused.
 */

export const CreateStaffSchema = z
  .object({
    email: z.email({ error: 'Adresse e-mail invalide.' }).max(254),
    role: StaffRoleSchema.default('reviewer'),
  })
  .strict();

export const ChangeStaffSchema = z
  .object({
    role: StaffRoleSchema.optional(),
    disabled: z.boolean({ error: '« disabled » doit valoir true ou false.' }).optional(),
  })
  .strict()
  .refine((v) => v.role !== undefined || v.disabled !== undefined, {
    error: 'Indiquez « role » ou « disabled ».',
  });

/** 24 URL-safe characters (144 random bits): shown once to the admin, who hands it over. */
export const generatePassword = (): string => randomBytes(18).toString('base64url');

const issues = (e: z.ZodError) => e.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));

export class StaffNotFoundError extends UseCaseError {
  override readonly name = 'StaffNotFoundError';
  override readonly httpStatus = 404;
  override readonly publicCode = 'not_found';
  constructor() {
    super('Compte introuvable.');
  }
}

/** 409: the change would leave the console without an enabled admin. */
export class LastAdminError extends UseCaseError {
  override readonly name = 'LastAdminError';
  override readonly httpStatus = 409;
  override readonly publicCode = 'last_admin';
  constructor() {
    super(
      "C'est le dernier compte administrateur actif : nommez d'abord un autre administrateur avant de retirer ce rôle ou de désactiver ce compte.",
    );
  }
}

/**
 * On AWS (Cognito sign-in configured) the console signs staff in through the user pool, never through the local
 * accounts: writing a local account there would create an account nobody can use. Refused, saying where to act.
 */
export class CognitoManagedStaffError extends UseCaseError {
  override readonly name = 'CognitoManagedStaffError';
  override readonly httpStatus = 501;
  override readonly publicCode = 'cognito_managed';
  constructor() {
    super(
      "Sur cet environnement, les comptes de l'équipe sont gérés dans le groupe d'utilisateurs Cognito : voyez docs/console.md (« Staff accounts »).",
    );
  }
}

function localAccountsOnly(deps: Deps): void {
  if (deps.cognito) throw new CognitoManagedStaffError();
}

const view = (a: StaffAccount) => ({
  email: a.email,
  role: a.role,
  name: a.name ?? null,
  disabled: a.disabled === true,
  createdAt: a.createdAt,
});

/** POST /api/console/staff: a new account with a generated password (201, shown once). */
export async function createStaffAccount(
  deps: Deps,
  admin: StaffPrincipal,
  body: unknown,
): Promise<{ email: string; role: string; password: string }> {
  localAccountsOnly(deps);
  const parsed = CreateStaffSchema.safeParse(body);
  if (!parsed.success) throw new ConsoleValidationError('Compte invalide.', issues(parsed.error));
  const password = generatePassword();
  // createStaff refuses an existing address (put-if-absent, 409) and records `staff.create`.
  const created = await createStaff(deps, { ...parsed.data, password }, admin.email);
  return { ...created, password };
}

/** PUT /api/console/staff/:email: role and/or enabled state. */
export async function changeStaffAccount(deps: Deps, admin: StaffPrincipal, email: string, body: unknown) {
  localAccountsOnly(deps);
  const parsed = ChangeStaffSchema.safeParse(body);
  if (!parsed.success) throw new ConsoleValidationError('Modification invalide.', issues(parsed.error));
  const account = await deps.store.staff.get(email);
  if (!account) throw new StaffNotFoundError();
  const before = { role: account.role, disabled: account.disabled === true };
  const after = { role: parsed.data.role ?? before.role, disabled: parsed.data.disabled ?? before.disabled };
  if (after.role === before.role && after.disabled === before.disabled) return { account: view(account) };
  const losesAdmin = isActiveAdmin(before) && !isActiveAdmin(after);
  if (losesAdmin && (await activeAdmins(deps)).filter((a) => a.email !== account.email).length === 0) {
    throw new LastAdminError();
  }
  const at = deps.clock().toISOString();
  if (!(await deps.store.staff.change(account.email, before, { ...after, updatedAt: at, updatedBy: admin.email }))) {
    throw new ConsoleConflictError('Ce compte a été modifié entre-temps : rechargez la page.');
  }
  if (losesAdmin && (await activeAdmins(deps)).length === 0) {
    // Another admin was removed at the same moment: undo ours (only if it is still ours) and refuse.
    await deps.store.staff.change(account.email, after, { ...before, updatedAt: at, updatedBy: admin.email });
    throw new LastAdminError();
  }
  const what = after.role !== before.role ? 'staff.role' : after.disabled ? 'staff.disable' : 'staff.enable';
  await deps.store.audit.record({
    who: admin.email,
    what,
    entity: `staff:${account.email}`,
    data: { before, after },
  });
  if (after.role !== before.role && after.disabled !== before.disabled) {
    await deps.store.audit.record({
      who: admin.email,
      what: after.disabled ? 'staff.disable' : 'staff.enable',
      entity: `staff:${account.email}`,
      data: { before, after },
    });
  }
  return { account: view({ ...account, ...after }) };
}

/** POST /api/console/staff/:email/password: a new generated password, shown once; the old one stops working. */
export async function resetStaffPassword(
  deps: Deps,
  admin: StaffPrincipal,
  email: string,
): Promise<{ email: string; password: string }> {
  localAccountsOnly(deps);
  const account = await deps.store.staff.get(email);
  if (!account) throw new StaffNotFoundError();
  const password = generatePassword();
  const changed = await deps.store.staff.change(
    account.email,
    { role: account.role, disabled: account.disabled === true },
    { passwordHash: await hashPassword(password), updatedAt: deps.clock().toISOString(), updatedBy: admin.email },
  );
  if (!changed) throw new ConsoleConflictError('Ce compte a été modifié entre-temps : rechargez la page.');
  await deps.store.audit.record({ who: admin.email, what: 'staff.password_reset', entity: `staff:${account.email}` });
  return { email: account.email, password };
}

const isActiveAdmin = (a: { role: string; disabled?: boolean }) => a.role === 'admin' && a.disabled !== true;

async function activeAdmins(deps: Deps): Promise<StaffAccount[]> {
  return (await deps.store.staff.list()).filter(isActiveAdmin);
}
