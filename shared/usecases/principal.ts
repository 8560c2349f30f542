import { createHash, timingSafeEqual } from 'node:crypto';
import { emailHash } from '../store/keys.js';
import type { ApplicationItem } from '../store/store.js';
import { ForbiddenError, UnauthorizedError } from './errors.js';
import type { Deps } from './ports.js';

/** Who is calling, as established by the server from a token it issued; never from what the client claims. */
export type Principal =
  | ActorPrincipal
  | { kind: 'staff'; email: string; role: 'reviewer' | 'admin'; sessionHash: string };

/**
 * An actor: either an application's own token (`act_…`, one application, returned at submission) or an actor
 * session (`acs_…`, from an e-mailed sign-in link: every application of that address, for `sessionDays`).
 * `applications` are the items read to check the token, reused by the same request instead of a second read; for a
 * session they were re-checked at this request (an application erased, or whose address changed, is left out).
 */
export interface ActorPrincipal {
  kind: 'actor';
  applicationIds: readonly string[];
  applications: readonly ApplicationItem[];
  /** Actor sessions only: the stored session's key (sign-out) and the address hash it was opened for. */
  session?: { hash: string; emailHash: string; expiresAt: number };
}

export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

/** Tokens are stored hashed: a leaked table backup does not give working tokens. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Staff from the claims of a Cognito token that API Gateway's JWT authorizer has verified (AWS only): an ID or access
 * token of a user in the `admin` or `reviewer` group. Anything else is not staff (null).
 *
 * HTTP APIs hand array claims over flattened (`"[admin reviewer]"`), so `cognito:groups` is read in both shapes.
 */
export function staffFromClaims(claims: Record<string, unknown>): StaffPrincipal | null {
  const use = claims.token_use;
  if (use !== 'id' && use !== 'access') return null;
  const raw = claims['cognito:groups'];
  const groups = Array.isArray(raw)
    ? raw.map(String)
    : typeof raw === 'string'
      ? raw
          .replace(/^\[|\]$/g, '')
          .split(/[\s,]+/)
          .filter(Boolean)
      : [];
  const role = groups.includes('admin') ? 'admin' : groups.includes('reviewer') ? 'reviewer' : null;
  if (!role) return null;
  // ID tokens carry the e-mail; access tokens only the username (the pool signs in by e-mail).
  const email =
    typeof claims.email === 'string' ? claims.email : typeof claims.username === 'string' ? claims.username : '';
  if (!email) return null;
  return { kind: 'staff', email: email.toLowerCase(), role, sessionHash: '' };
}

/**
 * `claims` are those of a token API Gateway verified (`HttpRequest.authorizerClaims`, AWS only); when they make a
 * staff principal they win, otherwise the bearer token is checked as before (local sessions, actor tokens).
 */
export async function resolvePrincipal(
  deps: Deps,
  bearer: string | null,
  claims?: Record<string, unknown>,
): Promise<Principal | null> {
  if (claims) {
    const staff = staffFromClaims(claims);
    if (staff) return staff;
  }
  if (!bearer) return null;
  if (bearer.startsWith('act_')) {
    // Actor tokens carry their application id (`act_<id>.<secret>`): one GetItem, then a constant-time compare.
    const match = /^act_([0-9a-f-]{36})\.[A-Za-z0-9_-]{20,}$/.exec(bearer);
    if (!match?.[1]) return null;
    const app = await deps.store.applications.get(match[1]);
    if (!app?.actorTokenHash) return null;
    const given = Buffer.from(hashToken(bearer), 'hex');
    const stored = Buffer.from(app.actorTokenHash, 'hex');
    return given.length === stored.length && timingSafeEqual(given, stored)
      ? { kind: 'actor', applicationIds: [app.id], applications: [app] }
      : null;
  }
  if (bearer.startsWith('acs_')) return actorSession(deps, bearer);
  if (bearer.startsWith('stf_')) {
    // Staff tokens carry the account's e-mail (`stf_<base64url e-mail>.<secret>`) so the session and the account
    // are read together in one BatchGetItem; the session must name that same account.
    const match = /^stf_([A-Za-z0-9_-]{1,400})\.[A-Za-z0-9_-]{20,}$/.exec(bearer);
    if (!match?.[1]) return null;
    const email = Buffer.from(match[1], 'base64url').toString('utf8');
    const hash = hashToken(bearer);
    const { session, account } = await deps.store.sessions.getWithAccount(hash, email);
    if (!session || session.kind !== 'staff' || session.expiresAt * 1000 <= deps.clock().getTime()) return null;
    if (!account || account.disabled) return null;
    return { kind: 'staff', email: account.email, role: account.role, sessionHash: hash };
  }
  return null;
}

/**
 * The chat reading its own application when it holds no actor token (the answer that carried the token was lost,
 * and a replay never issues one): the server-side chat proves the conversation with the idempotency key it derived
 * from the conversation id of a session it signed itself. Only applications the chat submitted qualify; the API,
 * where a client chooses the key, never reaches this.
 */
export async function chatPrincipal(
  deps: Deps,
  applicationId: string,
  idempotencyKey: string,
): Promise<Principal | null> {
  const app = await deps.store.applications.get(applicationId);
  if (!app || app.source !== 'chat' || !app.idempotencyKey || app.idempotencyKey !== idempotencyKey) return null;
  return { kind: 'actor', applicationIds: [app.id], applications: [app] };
}

/** Addresses an application is reached by (the legal representative's; the contact address when the schema has one). */
export function addressesOf(app: Pick<ApplicationItem, 'document'>): string[] {
  const doc = app.document as { structure?: { representant_legal?: { courriel?: unknown } | null } } | null;
  const courriel = doc?.structure?.representant_legal?.courriel;
  return typeof courriel === 'string' && courriel.includes('@') ? [courriel] : [];
}

/** Lifetime of actor sessions is checked here against the use cases' clock (tests move it), not only by the TTL. */
async function actorSession(deps: Deps, bearer: string): Promise<ActorPrincipal | null> {
  if (!/^acs_[A-Za-z0-9_-]{20,}$/.test(bearer)) return null;
  const hash = hashToken(bearer);
  const session = await deps.store.sessions.get(hash);
  if (!session || session.kind !== 'actor' || session.expiresAt * 1000 <= deps.clock().getTime()) return null;
  const ids = Array.isArray(session.data?.applicationIds) ? (session.data.applicationIds as string[]) : [];
  // Re-checked at use: the application must still exist and still carry the address the link was sent to.
  const live = (await deps.store.applications.getMany(ids)).filter((app) =>
    addressesOf(app).some((a) => emailHash(a) === session.subject),
  );
  return {
    kind: 'actor',
    applicationIds: live.map((a) => a.id),
    applications: live,
    session: { hash, emailHash: session.subject, expiresAt: session.expiresAt },
  };
}

/** An actor session token: 256 random bits, nothing else (the session item says whose it is). */
export const newActorSessionToken = (deps: Deps): string => `acs_${deps.newToken('x').slice(2)}`;

export const newActorToken = (deps: Deps, applicationId: string): string =>
  `act_${applicationId}.${deps.newToken('x').slice(2)}`;

/** A staff session token: the account's e-mail (not secret: it is the token holder's) and 256 random bits. */
export const newStaffToken = (deps: Deps, email: string): string =>
  `stf_${Buffer.from(email, 'utf8').toString('base64url')}.${deps.newToken('x').slice(2)}`;

export function requireStaff(principal: Principal | null, role: 'reviewer' | 'admin' = 'reviewer'): StaffPrincipal {
  if (!principal) throw new UnauthorizedError();
  if (principal.kind !== 'staff') throw new ForbiddenError();
  if (role === 'admin' && principal.role !== 'admin') throw new ForbiddenError('Action réservée aux administrateurs.');
  return principal;
}

/** An actor may only touch its own application; staff may read any. */
export function requireAccess(principal: Principal | null, applicationId: string): Principal {
  if (!principal) throw new UnauthorizedError();
  if (principal.kind === 'actor' && !principal.applicationIds.includes(applicationId)) throw new ForbiddenError();
  return principal;
}

/** The application item the actor's token was checked against in this request, if it is that one. */
export function actorApplication(principal: Principal | null, applicationId: string): ApplicationItem | undefined {
  return principal?.kind === 'actor' ? principal.applications.find((a) => a.id === applicationId) : undefined;
}

export function requireActor(
  principal: Principal | null,
  applicationId: string,
): Extract<Principal, { kind: 'actor' }> {
  const p = requireAccess(principal, applicationId);
  if (p.kind !== 'actor') throw new ForbiddenError('Cette action est réservée au demandeur.');
  return p;
}
