// Chat session tokens: issued by the server (POST /api/chat/session), HMAC-SHA256 signed, stateless.
// The conversation id is a random 128-bit value chosen by the server and carried inside the signed token, so a client
// cannot pick or guess someone else's conversation (the `user` field Botkit's web client sends is ignored).
// Stateless on purpose: any Lambda instance, or the local server after a restart, verifies a token with the secret
// alone; the conversation itself lives in DynamoDB. The secret must therefore be stable across restarts (see
// docs/bot.md). Revocation is by expiry (default 30 days, like the dialog state).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SessionClaims {
  conversationId: string;
  campaignCode: string | null;
  /** The session was opened from a campaign link that is unknown or not running. */
  campaignNotice: boolean;
  /** The session was opened from the actor space on an application (bound server-side: shared/usecases/chat-resume.ts). */
  resume: boolean;
  /** A network invitation's token, kept only when the session's campaign is running (the chat pre-fills from it). */
  invite: string | null;
  issuedAt: number;
}

export interface SessionCodec {
  issue(input: {
    campaignCode?: string | null;
    campaignNotice?: boolean;
    resume?: boolean;
    invite?: string | null;
  }): string;
  /** null for anything not issued by us, tampered with, or expired. */
  verify(token: string): SessionClaims | null;
}

const CAMPAIGN_CODE = /^[A-Za-z0-9_-]{1,40}$/;
/** A network invitation's token (shared/usecases/console/network-members.ts: `inv_` + 43 base64url characters). */
export const INVITE_TOKEN = /^[A-Za-z0-9_-]{10,100}$/;

export function createHmacSessions(options: {
  secret: string | Buffer;
  ttlSeconds?: number;
  clock?: () => Date;
}): SessionCodec {
  const secret = typeof options.secret === 'string' ? Buffer.from(options.secret, 'utf8') : options.secret;
  if (secret.length < 32) throw new Error('Chat session secret must be at least 32 bytes');
  const ttl = options.ttlSeconds ?? 30 * 24 * 3600;
  const now = () => Math.floor((options.clock?.() ?? new Date()).getTime() / 1000);
  const sign = (body: string) => createHmac('sha256', secret).update(`chat.v1.${body}`).digest('base64url');

  return {
    issue({ campaignCode, campaignNotice, resume, invite }) {
      const claims: Record<string, unknown> = { c: randomBytes(16).toString('base64url'), t: now() };
      if (campaignCode && CAMPAIGN_CODE.test(campaignCode)) claims.k = campaignCode;
      if (campaignNotice) claims.n = 1;
      if (resume) claims.r = 1;
      if (invite && INVITE_TOKEN.test(invite)) claims.i = invite;
      const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${body}.${sign(body)}`;
    },
    verify(token) {
      if (typeof token !== 'string' || token.length > 300) return null;
      const dot = token.indexOf('.');
      if (dot <= 0) return null;
      const body = token.slice(0, dot);
      const given = Buffer.from(token.slice(dot + 1), 'base64url');
      const expected = Buffer.from(sign(body), 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      let claims: { c?: unknown; t?: unknown; k?: unknown; n?: unknown; r?: unknown; i?: unknown };
      try {
        claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        return null;
      }
      if (typeof claims.c !== 'string' || !/^[A-Za-z0-9_-]{22}$/.test(claims.c) || typeof claims.t !== 'number')
        return null;
      if (claims.t + ttl < now() || claims.t > now() + 300) return null;
      return {
        conversationId: claims.c,
        campaignCode: typeof claims.k === 'string' && CAMPAIGN_CODE.test(claims.k) ? claims.k : null,
        campaignNotice: claims.n === 1,
        resume: claims.r === 1,
        invite: typeof claims.i === 'string' && INVITE_TOKEN.test(claims.i) ? claims.i : null,
        issuedAt: claims.t,
      };
    },
  };
}
