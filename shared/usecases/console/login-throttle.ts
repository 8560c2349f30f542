import { createHash } from 'node:crypto';
import { TooManyRequestsError, UnauthorizedError } from '../errors.js';
import type { Deps } from '../ports.js';
import { login } from '../staff-auth.js';

/**
 * Login throttling, stored in DynamoDB so that every Lambda container (and every restart) sees the same counts.
 *
 * Two layers, all on the store's atomic counters (`counters.incrementUpTo`: a conditional ADD below a cap):
 * - per (address, source IP) pair, growing delays: after `pairFreeFailures` failures, the pair must wait
 *   `pairBaseDelaySeconds`, doubled at each further failure (at most `pairMaxDelaySeconds`) after its last failure.
 *   A success clears the pair. So a stranger who types wrong passwords slows down only themself: the owner, from
 *   another source, still signs in (issue 12: five wrong passwords used to lock the address for everyone).
 * - ceilings per fixed window, much larger, against guessing spread over many sources (`perEmail`) or over many
 *   addresses (`perIp`). An attempt first takes a slot in both (atomic, so parallel attempts cannot overshoot); a
 *   success gives its slots back, so only failures accumulate. Reaching the per-address ceiling blocks that address
 *   for every source until the window ends: the price of bounding distributed guessing (docs/console.md).
 * Counter items carry the table's TTL attribute: a window's counters go when it is over, a pair's a day later.
 */
export interface ThrottleLimits {
  windowSeconds: number;
  /** Failures per address and window, from all sources together (the ceiling). */
  perEmail: number;
  /** Failures per source IP and window, over all addresses together (the ceiling). */
  perIp: number;
  /** Failures of one (address, IP) pair before delays start. */
  pairFreeFailures: number;
  /** The first delay, doubled at each further failure of the pair. */
  pairBaseDelaySeconds: number;
  pairMaxDelaySeconds: number;
}

export const DEFAULT_LOGIN_LIMITS: ThrottleLimits = {
  windowSeconds: 15 * 60,
  perEmail: 50,
  perIp: 100,
  pairFreeFailures: 5,
  pairBaseDelaySeconds: 60,
  pairMaxDelaySeconds: 15 * 60,
};

/** A pair's failures are remembered this long after its last one (then its record expires). */
const PAIR_MEMORY_SECONDS = 24 * 60 * 60;

/** The refusal of a throttled sign-in: 429 with the wait in minutes (message) and seconds (`retryAfterSeconds`). */
function loginThrottled(retryAfterSeconds: number): TooManyRequestsError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new TooManyRequestsError(
    `Trop de tentatives de connexion. Merci de réessayer dans ${Math.max(1, Math.ceil(seconds / 60))} minute(s).`,
    seconds,
  );
}

const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

export function throttleKeys(
  email: string,
  ip: string,
  windowIndex: number,
): { email: string; ip: string; pair: string } {
  const e = email.trim().toLowerCase();
  return {
    email: `login#email#${digest(e)}#${windowIndex}`,
    ip: `login#ip#${digest(ip)}#${windowIndex}`,
    pair: `login#pair#${digest(`${e}\n${ip}`)}`,
  };
}

/** Seconds the pair must still wait, 0 when it may try now. */
export function pairWait(failures: number, lastAt: number | null, nowMs: number, limits: ThrottleLimits): number {
  if (failures < limits.pairFreeFailures || lastAt === null) return 0;
  const delay = Math.min(
    limits.pairMaxDelaySeconds,
    limits.pairBaseDelaySeconds * 2 ** Math.min(30, failures - limits.pairFreeFailures),
  );
  return Math.max(0, Math.ceil((lastAt + delay * 1000 - nowMs) / 1000));
}

export async function throttledLogin(
  deps: Deps,
  body: unknown,
  sourceIp: string,
  limits: Partial<ThrottleLimits> = DEFAULT_LOGIN_LIMITS,
  /** The sign-in behind the throttle: the local accounts by default, Cognito on AWS. */
  signIn: (deps: Deps, body: unknown) => Promise<{ token: string; expiresAt: string; role: string }> = login,
): Promise<{ token: string; expiresAt: string; role: string }> {
  const l: ThrottleLimits = { ...DEFAULT_LOGIN_LIMITS, ...limits };
  const email = typeof (body as { email?: unknown })?.email === 'string' ? (body as { email: string }).email : '';
  const nowMs = deps.clock().getTime();
  const windowMs = l.windowSeconds * 1000;
  const windowIndex = Math.floor(nowMs / windowMs);
  const retryAfter = Math.ceil(((windowIndex + 1) * windowMs - nowMs) / 1000);
  const k = throttleKeys(email, sourceIp || 'unknown', windowIndex);

  // The pair first: a source that keeps failing on this address waits, and its waiting costs nobody else anything.
  const pair = await deps.store.counters.read(k.pair);
  const wait = pairWait(pair.count, pair.lastAt, nowMs, l);
  if (wait > 0) throw loginThrottled(wait);

  // A window's counters are useless once it is over: DynamoDB's TTL removes them (a day later, at the latest).
  const expiresAt = Math.ceil(((windowIndex + 1) * windowMs) / 1000);
  const ipOk = await deps.store.counters.incrementUpTo(k.ip, l.perIp, { expiresAt });
  if (!ipOk) throw loginThrottled(retryAfter);
  const emailOk = await deps.store.counters.incrementUpTo(k.email, l.perEmail, { expiresAt });
  if (!emailOk) {
    await deps.store.counters.decrement(k.ip);
    throw loginThrottled(retryAfter);
  }
  let session: { token: string; expiresAt: string; role: string };
  try {
    session = await signIn(deps, body);
  } catch (err) {
    // Only a wrong credential counts against the pair (a Cognito challenge means the password was right).
    if (!(err instanceof UnauthorizedError)) throw err;
    await deps.store.counters.incrementUpTo(k.pair, Number.MAX_SAFE_INTEGER, {
      expiresAt: Math.ceil(nowMs / 1000) + PAIR_MEMORY_SECONDS,
      lastAt: nowMs,
    });
    throw err;
  }
  await Promise.all([
    deps.store.counters.decrement(k.ip),
    deps.store.counters.decrement(k.email),
    pair.count > 0 ? deps.store.counters.reset(k.pair) : undefined,
  ]);
  return session;
}
