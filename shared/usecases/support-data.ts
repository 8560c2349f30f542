import type { SupportRequest } from '../store/store.js';
import type { Deps } from './ports.js';

/**
 * The personal data of support requests (« parler à quelqu’un », support.ts): what the actor's export shows, what
 * an erasure removes, and what the retention job anonymises — requests with no application, which no application's
 * erasure or retention reaches (README « Ends, erasure, retention », docs/console.md « Support requests »).
 */

/**
 * The support requests of an application: its own, those of the conversation that submitted it, and those made with
 * no application under its actor's address (`addresses`, principal.ts addressesOf: from any conversation).
 */
export async function supportRequestsOf(
  deps: Deps,
  applicationId: string,
  conversationId: string | null,
  addresses: readonly string[] = [],
) {
  const [linked, fromChat, ...byAddress] = await Promise.all([
    deps.store.support.ofApplication(applicationId),
    conversationId ? deps.store.support.ofConversation(conversationId) : Promise.resolve([]),
    ...addresses.map((a) => deps.store.support.ofAddress(a)),
  ]);
  const byId = new Map([...linked, ...fromChat, ...byAddress.flat()].map((r) => [r.id, r]));
  return [...byId.values()].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
}

/** The export's view of them: what the actor wrote and was answered (staff names left out). */
export function exportedSupportRequests(requests: SupportRequest[]) {
  return requests
    .filter((r) => !r.erasedAt)
    .map((r) => ({
      createdAt: r.createdAt,
      status: r.status,
      message: r.message,
      excerpt: r.excerpt,
      courriel: r.courriel,
      answers: r.answers.map((a) => ({ at: a.at, text: a.text })),
    }));
}

/**
 * Erasure (shared/usecases/erasure.ts): the requests of the application, of its conversation and of its actor's
 * address lose their text, excerpt, address and conversation link; the dates, status, trigger and time to first
 * answer stay (anonymous figures). Idempotent.
 */
export async function eraseSupportRequestsOf(
  deps: Deps,
  applicationId: string,
  conversationId: string | null,
  addresses: readonly string[] = [],
) {
  for (const r of await supportRequestsOf(deps, applicationId, conversationId, addresses)) {
    await anonymiseSupportRequest(deps, r);
  }
  // The address's lookup items go last: a rerun after a failure still finds what is left to erase.
  for (const address of addresses) {
    for (const r of await deps.store.support.ofAddress(address)) await deps.store.support.unindexAddress(address, r.id);
  }
}

/**
 * One request loses its personal data (text, excerpt, address, conversation link, answer texts); the dates, status,
 * trigger and time to first answer stay — the console's figures. Its address lookup goes too. Idempotent.
 */
async function anonymiseSupportRequest(deps: Deps, first: SupportRequest): Promise<boolean> {
  const at = deps.clock().toISOString();
  let r: SupportRequest | null = first;
  for (let attempt = 0; r && !r.erasedAt && attempt < 5; attempt++) {
    const done = await deps.store.support.replace(
      {
        ...r,
        conversationId: null,
        message: '',
        excerpt: [],
        courriel: null,
        answers: r.answers.map((a) => ({ ...a, text: '' })),
        erasedAt: at,
        updatedAt: at,
      },
      r.version,
    );
    if (done) {
      if (r.courriel) await deps.store.support.unindexAddress(r.courriel, r.id);
      return true;
    }
    r = await deps.store.support.get(first.id);
  }
  return false;
}

/**
 * The retention job's step (retention.ts): requests with no application — the ones no application's erasure or
 * retention reaches — are anonymised `retention.supportAnsweredDays` after their last answer, or
 * `retention.supportOpenDays` after their opening when never answered. Reads the job's listing (gsi2
 * `SUPPORT_DUE#…`), which an anonymised request leaves: a rerun finds less to do. Returns how many were anonymised.
 */
export async function purgeUnlinkedSupportRequests(
  deps: Deps,
  options: { answeredBefore: string; openBefore: string; batch: number },
  attempt: (what: string, fn: () => Promise<unknown>) => Promise<boolean>,
): Promise<number> {
  let n = 0;
  const due = [
    ...(await deps.store.support.listDue('answered', options.answeredBefore, options.batch)),
    ...(await deps.store.support.listDue('open', options.openBefore, options.batch)),
  ];
  for (const r of due) {
    // A request linked meanwhile follows its application instead.
    if (r.applicationId || r.erasedAt) continue;
    if (await attempt('support request', () => anonymiseSupportRequest(deps, r))) n++;
  }
  return n;
}
