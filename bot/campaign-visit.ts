// When opening a campaign link (`GET /go/:code`) counts as a visit in the campaign's funnel: people, not requests.
import type { HttpRequest } from '../shared/http/http.js';

/** How long one browser's visits of one campaign link count once (a day: a webinar, a Tour stop). */
export const VISIT_COOKIE_SECONDS = 24 * 3600;

// Campaign codes are [A-Za-z0-9_-] (bot/service.ts CAMPAIGN_CODE), all valid in a cookie name.
const cookieName = (code: string) => `aptic_visite_${code}`;

/**
 * A new visit: a GET (HEAD, link checkers' probes, are not), not a browser prefetch or prerender (Chromium's
 * `Sec-Purpose`, the older `Purpose`), from a browser that has not opened this link in the last day (no visit
 * cookie: a reload or a second tab is the same visit).
 */
export function isNewVisit(req: HttpRequest, code: string): boolean {
  if (req.method !== 'GET') return false;
  const purpose = `${req.headers['sec-purpose'] ?? ''} ${req.headers.purpose ?? ''}`;
  if (/prefetch|prerender/i.test(purpose)) return false;
  const name = cookieName(code);
  return !(req.headers.cookie ?? '').split(';').some((part) => part.trim().split('=')[0] === name);
}

/**
 * The `Set-Cookie` value that marks the visit: scoped to this link's path, no identifier in it (the value is `1`),
 * HttpOnly, SameSite=Lax, Secure when the chat is served over HTTPS. An audience-measurement cookie of the service
 * itself, nothing else reads it.
 */
export function visitCookie(code: string, secure: boolean): string {
  return `${cookieName(code)}=1; Max-Age=${VISIT_COOKIE_SECONDS}; Path=/go/${code}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}
