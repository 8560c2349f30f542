import type { ApplicationItem, HistoryEvent, OutboxMessage } from '../store/store.js';
import { SIGN_IN_MESSAGE_PREFIX } from './actor-sign-in.js';

/**
 * What an application shows to whom, in one place: the actor's view (GET /api/applications/:id, the export, the
 * actor space) and the staff's (the console page) are projections of the same item, history and messages.
 */
export type Audience = 'actor' | 'staff';

/** The fields both audiences see. */
export function applicationSummary(app: ApplicationItem) {
  return {
    id: app.id,
    stage: app.stage,
    status: app.status,
    phase: app.phase,
    route: app.route,
    round: app.round,
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
  };
}

/**
 * The history as the audience may see it. Staff internal notes (console comments, events of type `comment`) never
 * reach the actor; of staff words, only a decision's comment (the reason of a refusal, the changes asked) is
 * addressed to them, and the actor sees which kind of actor acted, not who.
 */
export function historyView(events: readonly HistoryEvent[], audience: Audience) {
  const staff = audience === 'staff';
  return (staff ? events : actorHistory(events)).map((e) => ({
    at: e.at,
    type: e.type,
    stage: e.stage ?? null,
    actor: staff ? e.actor : { kind: e.actor.kind },
    comment: staff || e.type.startsWith('decision_') ? (e.comment ?? null) : null,
    ...(staff ? { data: e.data ?? null } : {}),
  }));
}

/** The events an actor may see at all (the export keeps their whole shape). */
export function actorHistory<T extends Pick<HistoryEvent, 'type'>>(events: readonly T[]): T[] {
  return events.filter((e) => e.type !== 'comment');
}

/**
 * Messages sent about the application. Sign-in links are for the inbox they were sent to, not for the application's
 * message list (a working code must not be shown anywhere else); staff also see how each message went out.
 */
export function messagesView(messages: readonly OutboxMessage[], audience: Audience) {
  return messages
    .filter((m) => !m.key.startsWith(SIGN_IN_MESSAGE_PREFIX))
    .map((m) => ({
      at: m.at,
      stage: m.stage ?? null,
      subject: m.subject,
      text: m.text,
      ...(audience === 'staff' ? { channel: m.channel } : {}),
    }));
}
