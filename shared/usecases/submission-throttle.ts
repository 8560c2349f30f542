import { createHash } from 'node:crypto';
import type { AppConfig } from '../config/config.js';
import { TooManyRequestsError } from './errors.js';
import type { Deps } from './ports.js';

/**
 * Anonymous submissions are rate limited (issue 12: anyone could claim SIRETs in bulk) per source IP and per e-mail
 * address of the legal representative, per fixed window (`submissionLimits` in the configuration). Same mechanism as
 * the staff sign-in's ceilings (console/login-throttle.ts): atomic counters in DynamoDB on windowed keys, removed by
 * the table's TTL once their window is over, so every Lambda container and every restart sees the same counts.
 */
const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

export function submissionKeys(ip: string | undefined, email: string | undefined, windowIndex: number) {
  return {
    ip: ip ? `submit#ip#${digest(ip)}#${windowIndex}` : null,
    email: email ? `submit#email#${digest(email.trim().toLowerCase())}#${windowIndex}` : null,
  };
}

const minutes = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));

/**
 * Takes one slot per known key (the IP when the caller has one: the API route; the e-mail always), or throws
 * TooManyRequestsError (429, Retry-After = the end of the window). Returns the function that gives the slots back,
 * for a request that turns out to create nothing new (a replay).
 */
export async function takeSubmissionSlot(
  deps: Deps,
  limits: AppConfig['submissionLimits'],
  who: { sourceIp?: string; email?: string },
): Promise<() => Promise<void>> {
  const nowMs = deps.clock().getTime();
  const windowMs = limits.windowSeconds * 1000;
  const windowIndex = Math.floor(nowMs / windowMs);
  const retryAfter = Math.max(1, Math.ceil(((windowIndex + 1) * windowMs - nowMs) / 1000));
  const expiresAt = Math.ceil(((windowIndex + 1) * windowMs) / 1000);
  const k = submissionKeys(who.sourceIp, who.email, windowIndex);
  const taken: string[] = [];
  const release = async () => {
    await Promise.all(taken.map((key) => deps.store.counters.decrement(key)));
  };
  if (k.ip) {
    if (!(await deps.store.counters.incrementUpTo(k.ip, limits.perIp, { expiresAt }))) {
      throw new TooManyRequestsError(
        `Trop de demandes de qualification ont été envoyées depuis votre connexion. Merci de réessayer dans ${minutes(retryAfter)} minute(s), ou contactez le support.`,
        retryAfter,
      );
    }
    taken.push(k.ip);
  }
  if (k.email) {
    if (!(await deps.store.counters.incrementUpTo(k.email, limits.perEmail, { expiresAt }))) {
      await release();
      throw new TooManyRequestsError(
        `Trop de demandes de qualification ont été envoyées avec cette adresse e-mail. Merci de réessayer dans ${minutes(retryAfter)} minute(s), ou contactez le support.`,
        retryAfter,
      );
    }
    taken.push(k.email);
  }
  return release;
}
