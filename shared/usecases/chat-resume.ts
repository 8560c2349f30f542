import type { Deps } from './ports.js';
import { hashToken, type Principal, requireAccess, resolvePrincipal } from './principal.js';

/**
 * A chat opened from the actor space resumes on one application: the page creates its chat session with the actor
 * token it holds, and this binds the new conversation to that application server-side (a short-lived item keyed by
 * the conversation), so the token never travels inside the chat's own session token or its websocket URL. The
 * bot's first turn takes the binding and keeps the actor token in the conversation state, like the chat's own
 * submission does; every later use goes through resolvePrincipal again (expiry, revocation, address re-check).
 */
const bindingKey = (conversationId: string) => hashToken(`chat-resume\u0000${conversationId}`);
const BINDING_SECONDS = 600;

export async function bindConversation(
  deps: Deps,
  conversationId: string,
  actorToken: string,
  applicationId: string,
): Promise<Principal> {
  const principal = requireAccess(await resolvePrincipal(deps, actorToken), applicationId);
  const now = deps.clock();
  await deps.store.sessions.put({
    tokenHash: bindingKey(conversationId),
    kind: 'chat',
    subject: applicationId,
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + BINDING_SECONDS,
    data: { actorToken },
  });
  return principal;
}

/** The binding of a conversation, once (deleted as it is read): `{ applicationId, actorToken }` or null. */
export async function takeConversationBinding(
  deps: Deps,
  conversationId: string,
): Promise<{ applicationId: string; actorToken: string } | null> {
  const key = bindingKey(conversationId);
  const item = await deps.store.sessions.get(key);
  if (!item || item.kind !== 'chat' || typeof item.data?.actorToken !== 'string') return null;
  await deps.store.sessions.delete(key);
  return { applicationId: item.subject, actorToken: item.data.actorToken };
}
