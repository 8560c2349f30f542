import { createHash } from 'node:crypto';
import { TooManyRequestsError } from '../errors.js';
import type { Deps } from '../ports.js';
import { login } from '../staff-auth.js';

/**
 * Login throttling, stored in DynamoDB so that every Lambda container (and every restart) sees the same counts.
 *
 * It reuses the store's atomic counter (`counters.incrementUpTo`: a conditional ADD below a cap) on keys of its own, one per e-mail
 * and one per source IP, per fixed window. An attempt first takes a slot in both counters (atomic, so parallel
 * attempts cannot overshoot); a successful sign-in gives its slots back, so only failures accumulate.
 * Counter items carry no TTL: one small item per (key, window) that was used; see docs/console.md.
 */
export interface ThrottleLimits {
  windowSeconds: number;
  perEmail: number;
  perIp: number;
}

export const DEFAULT_LOGIN_LIMITS: ThrottleLimits = { windowSeconds: 15 * 60, perEmail: 5, perIp: 30 };

/** The refusal of a throttled sign-in: 429 with the wait in minutes (message) and seconds (`retryAfterSeconds`). */
function loginThrottled(retryAfterSeconds: number): TooManyRequestsError {
  return new TooManyRequestsError(
    `Trop de tentatives de connexion. Merci de réessayer dans ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} minute(s).`,
    retryAfterSeconds,
  );
}

const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

export function throttleKeys(email: string, ip: string, windowIndex: number): { email: string; ip: string } {
  return {
    email: `login#email#${digest(email.trim().toLowerCase())}#${windowIndex}`,
    ip: `login#ip#${digest(ip)}#${windowIndex}`,
  };
}

export async function throttledLogin(
  deps: Deps,
  body: unknown,
  sourceIp: string,
  limits: ThrottleLimits = DEFAULT_LOGIN_LIMITS,
  /** The sign-in behind the throttle: the local accounts by default, Cognito on AWS. */
  signIn: (deps: Deps, body: unknown) => Promise<{ token: string; expiresAt: string; role: string }> = login,
): Promise<{ token: string; expiresAt: string; role: string }> {
  const email = typeof (body as { email?: unknown })?.email === 'string' ? (body as { email: string }).email : '';
  const nowMs = deps.clock().getTime();
  const windowMs = limits.windowSeconds * 1000;
  const windowIndex = Math.floor(nowMs / windowMs);
  const retryAfter = Math.ceil(((windowIndex + 1) * windowMs - nowMs) / 1000);
  const k = throttleKeys(email, sourceIp || 'unknown', windowIndex);

  // A window's counters are useless once it is over: DynamoDB's TTL removes them (a day later, at the latest).
  const expiresAt = Math.ceil(((windowIndex + 1) * windowMs) / 1000);
  const ipOk = await deps.store.counters.incrementUpTo(k.ip, limits.perIp, { expiresAt });
  if (!ipOk) throw loginThrottled(retryAfter);
  const emailOk = await deps.store.counters.incrementUpTo(k.email, limits.perEmail, { expiresAt });
  if (!emailOk) {
    await deps.store.counters.decrement(k.ip);
    throw loginThrottled(retryAfter);
  }
  const session = await signIn(deps, body);
  await Promise.all([deps.store.counters.decrement(k.ip), deps.store.counters.decrement(k.email)]);
  return session;
}
