import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import * as z from 'zod';
import { ValidationError } from '../domain/errors.js';
import { ConsoleConflictError } from './console/errors.js';
import { UnauthorizedError } from './errors.js';
import { LoginSchema } from './login-input.js';
import type { Deps } from './ports.js';
import { hashToken, newStaffToken } from './principal.js';

const scrypt = promisify(scryptCb) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;

/** scrypt with N=2^15, r=8, p=1 (OWASP's minimum for scrypt); parameters are stored with the hash. */
const SCRYPT = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEYLEN = 32;
export const SESSION_TTL_SECONDS = 8 * 3600;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export const StaffRoleSchema = z.enum(['reviewer', 'admin']);

export const NewStaffSchema = z
  .object({
    email: z.email({ error: 'Adresse e-mail invalide.' }).max(254),
    password: z.string().min(12, { error: 'Le mot de passe doit faire au moins 12 caractères.' }).max(200),
    role: StaffRoleSchema.default('reviewer'),
    name: z.string().trim().max(120).optional(),
  })
  .strict();

export async function createStaff(deps: Deps, input: unknown, by = 'system'): Promise<{ email: string; role: string }> {
  const parsed = NewStaffSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  const { email, password, role, name } = parsed.data;
  const now = deps.clock().toISOString();
  // Put-if-absent: two admins (or a CLI and the console) creating one address at once never overwrite a password.
  const created = await deps.store.staff.put(
    {
      email: email.toLowerCase(),
      role,
      name: name ?? null,
      passwordHash: await hashPassword(password),
      disabled: false,
      createdAt: now,
      createdBy: by,
    },
    { onlyIfAbsent: true },
  );
  if (!created) throw new ConsoleConflictError('Ce compte existe déjà.', { email: email.toLowerCase() });
  await deps.store.audit.record({
    who: by,
    what: 'staff.create',
    entity: `staff:${email.toLowerCase()}`,
    data: { role },
  });
  return { email: email.toLowerCase(), role };
}

/** A hash to compare against when the account does not exist, so both cases cost the same time. */
let dummyHash: Promise<string> | null = null;

export async function login(deps: Deps, input: unknown): Promise<{ token: string; expiresAt: string; role: string }> {
  const parsed = LoginSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  const { email, password } = parsed.data;
  const account = await deps.store.staff.get(email.toLowerCase());
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const ok = await verifyPassword(password, account?.passwordHash ?? (await dummyHash));
  if (!account || account.disabled || !ok) throw new UnauthorizedError('Adresse e-mail ou mot de passe incorrect.');
  const token = newStaffToken(deps, account.email);
  const now = deps.clock();
  const expires = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000);
  await deps.store.sessions.put({
    tokenHash: hashToken(token),
    kind: 'staff',
    subject: account.email,
    createdAt: now.toISOString(),
    expiresAt: Math.floor(expires.getTime() / 1000),
  });
  return { token, expiresAt: expires.toISOString(), role: account.role };
}

export async function logout(deps: Deps, sessionHash: string): Promise<void> {
  await deps.store.sessions.delete(sessionHash);
}
