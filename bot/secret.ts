// The HMAC secret of chat session tokens must be the same on every instance and survive restarts (the page keeps its
// token across a restart and the conversation resumes). Preferred: an operator-provided secret (see docs/bot.md).
// Fallback used here: generated once and kept in the table (as a session item under a fixed key with a far expiry),
// written only if absent, so that instances starting together all end up with the one secret that was stored first.
import { randomBytes } from 'node:crypto';
import type { Store } from '../shared/store/store.js';

const KEY = 'chat-session-secret-v1';
const FAR_FUTURE = 4_102_444_800; // 2100-01-01, epoch seconds

export async function chatSessionSecret(store: Store, now: () => Date = () => new Date()): Promise<string> {
  const existing = await store.sessions.get(KEY);
  const stored = existing?.data?.secret;
  if (typeof stored === 'string' && stored.length >= 43) return stored;
  await store.sessions.put(
    {
      tokenHash: KEY,
      kind: 'chat',
      subject: 'chat-service',
      createdAt: now().toISOString(),
      expiresAt: FAR_FUTURE,
      data: { secret: randomBytes(32).toString('base64url') },
    },
    { onlyIfAbsent: true },
  );
  // Ours, or the one another instance stored first: whichever the table holds is the secret of every instance.
  const secret = (await store.sessions.get(KEY))?.data?.secret;
  if (typeof secret !== 'string' || secret.length < 43) throw new Error('chat session secret could not be stored');
  return secret;
}
