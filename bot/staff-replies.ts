// « Parler à quelqu’un »: the team's answers as the chat shows them (docs/bot.md « Talking to a person »).
import type { Reply } from './conversation.js';
import type { BotPorts } from './ports.js';

/**
 * The team's answers to this conversation's support requests, not shown yet, go before the bot's replies; while a
 * request waits for its first answer the last reply says so (`support: 'waiting'`), and the page checks now and
 * then. A failure to read them never costs the turn.
 */
export async function withStaffReplies(
  ports: Pick<BotPorts, 'support'>,
  conversationId: string,
  log: { warn(obj: unknown, msg: string): void } | undefined,
  replies: Reply[],
): Promise<Reply[]> {
  if (!ports.support) return replies;
  const taken = await ports.support.take(conversationId).catch((err) => {
    log?.warn({ err, conversationId }, 'support answers not read');
    return null;
  });
  if (!taken) return replies;
  const staff: Reply[] = taken.answers.map((a) => ({ text: `Réponse de l’équipe #APTIC : ${a.text}`, from: 'staff' }));
  const all = [...staff, ...replies];
  if (taken.open) {
    const last = all.at(-1);
    if (last) all[all.length - 1] = { ...last, support: 'waiting' };
    else all.push({ text: '', support: 'waiting' });
  }
  return all;
}

/** A turn's answer with the team's answers in it. */
export async function staffTurn(
  ports: Pick<BotPorts, 'support'>,
  conversationId: string,
  log: { warn(obj: unknown, msg: string): void } | undefined,
  replies: Reply[],
): Promise<{ status: number; replies: Reply[] }> {
  return { status: 200, replies: await withStaffReplies(ports, conversationId, log, replies) };
}
