// What the bot needs from the rest of the system, injected. Production builds them from Deps (createBotPorts); tests
// build them the same way over dynalite. The bot never imports the store or the use cases directly.

import type { AppConfig } from '../shared/config/config.js';
import { ConflictError } from '../shared/store/errors.js';
import { requestSignIn } from '../shared/usecases/actor-sign-in.js';
import { submitCommitments as submitCommitmentsUseCase } from '../shared/usecases/actor-steps.js';
import { getApplicationView as viewUseCase } from '../shared/usecases/application-view.js';
import { bindConversation, takeConversationBinding } from '../shared/usecases/chat-resume.js';
import { countCampaignEvent } from '../shared/usecases/console/campaigns.js';
import type { Deps, Metrics } from '../shared/usecases/ports.js';
import { chatPrincipal, hashToken, resolvePrincipal } from '../shared/usecases/principal.js';
import { submitApplication as submitUseCase } from '../shared/usecases/submit-application.js';
import { openSupportRequest, takeSupportAnswers } from '../shared/usecases/support.js';
import type { DialogStateStore } from './conversation.js';
import type { FaqPort } from './faq-port.js';
import type { SessionCodec } from './sessions.js';

export interface Finding {
  code: string;
  message: string;
  topic?: string;
}

export interface Campaign {
  code: string;
  kind: 'webinar' | 'tour' | 'hub' | 'network';
  label?: string | null;
  territory?: string | null;
  network?: string | null;
  route?: 'reseau' | 'territoriale' | 'libre' | null;
  startsAt?: string | null;
  endsAt?: string | null;
  utm?: Record<string, string>;
  paused?: boolean;
}

export interface SubmitResult {
  id: string;
  /** Null on a replay (same idempotency key): the token was given with the first answer only. */
  actorToken: string | null;
  status: string;
  route: string | null;
  phase: number | null;
  flags: Finding[];
  reasons: Finding[];
}

/**
 * How the chat acts for the actor: the actor token of the first answer, or, when that answer was lost (a replay
 * gives no token), the idempotency key of the conversation that submitted it (`chatPrincipal`).
 */
export interface ActorAccess {
  actorToken: string | null;
  idempotencyKey?: string | null;
}

export interface ApplicationView {
  stage: string;
  status: string;
  messages: { text: string; at: string; subject?: string }[];
  openStep: string | null;
}

export interface Commitments {
  charte: boolean;
  cgu: boolean;
  abonnement: 'oui' | 'non' | 'a_confirmer';
}

export interface BotPorts {
  /** Throws SiretAlreadyClaimedError when the SIRET is used, ValidationError (with `issues`) when invalid. */
  submitApplication(
    doc: unknown,
    opts: { idempotencyKey: string; campaignCode?: string; source: 'chat' },
  ): Promise<SubmitResult>;
  getApplicationView(access: ActorAccess, applicationId: string): Promise<ApplicationView>;
  /** Throws StepNotOpenError when the actor step is not open, ValidationError when a commitment is refused. */
  submitCommitments(access: ActorAccess, applicationId: string, body: Commitments): Promise<void>;
  /** « J'ai déjà fait une demande »: the sign-in link, if applications carry the address (same answer either way). */
  requestSignIn?(courriel: string): Promise<void>;
  /** Binds a new conversation to an application the actor token may reach (403 / 401 otherwise). */
  bindConversation?(conversationId: string, actorToken: string, applicationId: string): Promise<void>;
  /** The conversation's binding, once: `{ applicationId, actorToken }` or null. */
  takeConversationBinding?(conversationId: string): Promise<{ applicationId: string; actorToken: string } | null>;
  faq: FaqPort;
  /** `count` feeds the campaign funnel (visits of /go/:code, conversations opened from it). */
  campaigns: {
    get(code: string): Promise<Campaign | null>;
    count?(code: string, event: 'visits' | 'conversations'): Promise<void>;
    /** A network invitation's token → the member the import knows (for that campaign), or null. */
    invitation?(token: string): Promise<{
      campaignCode: string;
      siret: string;
      name: string;
      commune: string | null;
      codePostal: string | null;
    } | null>;
  };
  dialogState: DialogStateStore;
  sessions: SessionCodec;
  config(): Promise<AppConfig>;
  clock(): Date;
  /** Chat turns, failed turns, declined FAQ questions (the use cases count submissions and decisions themselves). */
  metrics: Metrics;
  /** « Parler à quelqu’un » (shared/usecases/support.ts): open a request, take the staff answers not shown yet. */
  support?: {
    open(input: {
      conversationId: string;
      applicationId: string | null;
      trigger: 'typed' | 'button' | 'misunderstood';
      message: string;
      excerpt: { who: 'actor' | 'bot'; text: string }[];
      courriel: string | null;
    }): Promise<{ id: string }>;
    take(conversationId: string): Promise<{ answers: { text: string; at: string }[]; open: boolean }>;
  };
  /** Brings `faq` up to the staff-published version in force (bot/faq-live.ts); cheap when checked recently. */
  faqRefresh?(): Promise<void>;
}

/** Configuration changes are rare (staff overrides): a few seconds of staleness spare a read on every answer. */
function cached<T>(load: () => Promise<T>, ttlMs: number, now: () => number): () => Promise<T> {
  let value: { at: number; promise: Promise<T> } | null = null;
  return () => {
    const t = now();
    if (!value || t - value.at > ttlMs) {
      const promise = load();
      value = { at: t, promise };
      promise.catch(() => {
        if (value?.promise === promise) value = null;
      });
    }
    return value.promise;
  };
}

/** A campaign link carries its context only between its start and end dates. */
export function campaignIsRunning(c: Campaign, now: Date): boolean {
  const t = now.toISOString();
  if (c.paused) return false;
  if (c.startsAt && c.startsAt > t) return false;
  if (c.endsAt && c.endsAt < t) return false;
  return true;
}

/** The ports over the real use cases and store (Lambda, `npm start`, integration tests). */
export function createBotPorts(
  deps: Deps,
  extra: { faq: FaqPort; sessions: SessionCodec; faqRefresh?: () => Promise<void> },
): BotPorts {
  const actor = async (access: ActorAccess, applicationId: string) =>
    access.actorToken
      ? resolvePrincipal(deps, access.actorToken)
      : access.idempotencyKey
        ? chatPrincipal(deps, applicationId, access.idempotencyKey)
        : null;
  return {
    async submitApplication(doc, opts) {
      const r = await submitUseCase(deps, doc, opts);
      return {
        id: r.id,
        actorToken: r.actorToken ?? null,
        status: r.status,
        route: r.route,
        phase: r.phase,
        flags: r.flags,
        reasons: r.reasons,
      };
    },
    async getApplicationView(access, id) {
      const v = await viewUseCase(deps, await actor(access, id), id);
      return {
        stage: v.stage,
        status: v.status,
        openStep: v.openStep,
        messages: v.messages.map((m) => ({ text: m.text, at: m.at, subject: m.subject })),
      };
    },
    async submitCommitments(access, id, body) {
      await submitCommitmentsUseCase(deps, await actor(access, id), id, body, 'chat');
    },
    async requestSignIn(courriel) {
      // The chat has its own per-conversation rate limit; the per-address limit of the use case still applies.
      await requestSignIn(deps, { courriel });
    },
    async bindConversation(conversationId, actorToken, applicationId) {
      await bindConversation(deps, conversationId, actorToken, applicationId);
    },
    takeConversationBinding: (conversationId) => takeConversationBinding(deps, conversationId),
    faq: extra.faq,
    campaigns: {
      count: (code, event) => countCampaignEvent(deps, code, event),
      async invitation(token) {
        const link = await deps.store.networkRecords.invitationLink(hashToken(token));
        return link
          ? {
              campaignCode: link.campaignCode,
              siret: link.siret,
              name: link.name,
              commune: link.commune,
              codePostal: link.codePostal,
            }
          : null;
      },
      async get(code) {
        const item = await deps.store.campaigns.get(code);
        if (!item) return null;
        return {
          code: item.code,
          kind: item.kind,
          label: item.label ?? null,
          territory: item.territory ?? null,
          network: item.network ?? null,
          route: item.route ?? null,
          startsAt: item.startsAt ?? null,
          endsAt: item.endsAt ?? null,
          utm: item.utm ?? {},
          paused: item.paused === true,
        };
      },
    },
    dialogState: {
      async get(id) {
        const item = await deps.store.dialogs.get(id);
        return item ? { state: item.state, version: item.version } : null;
      },
      async put(id, state, ttl, expectedVersion) {
        try {
          return (await deps.store.dialogs.put(id, state as Record<string, unknown>, ttl, expectedVersion)).version;
        } catch (err) {
          // Another instance stored a turn of this conversation since we read it: the engine re-runs ours on top.
          if (err instanceof ConflictError) return null;
          throw err;
        }
      },
      async delete(id) {
        await deps.store.dialogs.delete(id);
      },
    },
    sessions: extra.sessions,
    config: cached(
      () => deps.config(),
      5_000,
      () => deps.clock().getTime(),
    ),
    clock: () => deps.clock(),
    metrics: deps.metrics,
    support: {
      open: (input) => openSupportRequest(deps, input),
      take: (conversationId) => takeSupportAnswers(deps, conversationId),
    },
    ...(extra.faqRefresh ? { faqRefresh: extra.faqRefresh } : {}),
  };
}
