import { maskedBankDetails } from './bank-details.js';
import { conversationOf } from './erasure.js';
import { ApplicationNotFoundError } from './errors.js';
import type { Deps } from './ports.js';
import { addressesOf, type Principal, requireAccess } from './principal.js';
import { actorHistory } from './projections.js';
import { exportedSupportRequests, supportRequestsOf } from './support-data.js';

/** Strings that grant access (actor tokens in the chat state) never leave in an export, even to their owner. */
const TOKEN = /\b(?:act|stf)_[A-Za-z0-9_.-]{20,}/g;

function withoutTokens(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(TOKEN, '[jeton retiré]');
  if (Array.isArray(value)) return value.map(withoutTokens);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => k !== 'actorToken')
        .map(([k, v]) => [k, withoutTokens(v)]),
    );
  }
  return value;
}

/**
 * GET /api/applications/:id/export (the actor, or staff): everything held about the application, as JSON — the
 * document, the history as the actor may see it (no staff internal notes), the messages, the chat conversation that
 * submitted it, the published places. Token hashes, Step Functions tokens and staff-only fields are not data about
 * the actor and are left out. The bank details are there masked, as on every screen: a downloaded file travels (mail,
 * shared computers), and the full IBAN is shown to no one but the admin who validates it.
 */
export async function exportApplication(deps: Deps, principal: Principal | null, id: string) {
  const p = requireAccess(principal, id);
  const app =
    (p.kind === 'actor' ? p.applications.find((a) => a.id === id) : undefined) ??
    (await deps.store.applications.get(id));
  if (!app) throw new ApplicationNotFoundError(id);
  const conversationId = conversationOf(app);
  const [history, messages, partition, dialog, support] = await Promise.all([
    deps.store.history.list(id),
    deps.store.outbox.list(id),
    deps.store.applications.partition(id),
    conversationId ? deps.store.dialogs.getRaw(conversationId) : Promise.resolve(null),
    supportRequestsOf(deps, id, conversationId, addressesOf(app)),
  ]);
  const published = partition.filter((i) => i.type === 'place').map((i) => i.place);
  return {
    exportedAt: deps.clock().toISOString(),
    application: {
      id: app.id,
      stage: app.stage,
      status: app.status,
      phase: app.phase,
      route: app.route,
      departements: app.departements,
      round: app.round,
      source: app.source ?? null,
      campaign: app.campaign ?? null,
      siret: app.siret,
      createdAt: app.createdAt,
      updatedAt: app.updatedAt,
      commitmentsAt: app.commitmentsAt ?? null,
      qualifiedAt: app.qualifiedAt ?? null,
      endedAt: app.endedAt ?? null,
      erasedAt: app.erasedAt ?? null,
      flags: app.flags,
      reasons: app.reasons,
    },
    document: app.document,
    bankDetails: await maskedBankDetails(deps, app),
    history: actorHistory(history).map((e) => ({
      at: e.at,
      type: e.type,
      stage: e.stage ?? null,
      actor: { kind: e.actor.kind },
      comment: e.comment ?? null,
    })),
    messages: messages.map((m) => ({
      at: m.at,
      stage: m.stage ?? null,
      subject: m.subject,
      text: m.text,
      to: m.to ?? null,
    })),
    places: published,
    conversation: dialog ? { conversationId, updatedAt: dialog.updatedAt, state: withoutTokens(dialog.state) } : null,
    /** « Parler à quelqu’un »: what the actor wrote to the team and its answers (staff names left out). */
    supportRequests: exportedSupportRequests(support),
  };
}
