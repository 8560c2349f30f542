import { emailHash, keys } from '../keys.js';
import { ABSENT, MAX_PAGE, strip, type TableClient } from '../table-client.js';

/** One line of the conversation excerpt a support request carries (personal data masked by the bot). */
export interface SupportExcerptLine {
  who: 'actor' | 'bot';
  text: string;
}

/** A staff answer; `chatDeliveredAt` once the chat has shown it, `mail` how the e-mail left (or not). */
export interface SupportAnswer {
  at: string;
  /** The staff member's e-mail (staff only: the actor sees « l’équipe #APTIC »). */
  by: string;
  text: string;
  chatDeliveredAt?: string | null;
  mail?: { channel: 'ses' | 'outbox' | 'none'; delivered: boolean };
}

/** « Parler à quelqu’un » from the chat (shared/usecases/support.ts, docs/console.md « Support requests »). */
export interface SupportRequest {
  id: string;
  version: number;
  /** The chat conversation that opened it: its answers are shown there. Null once erased. */
  conversationId: string | null;
  applicationId: string | null;
  /** How the actor asked: typed, the quick-reply button, or offered after misunderstandings. */
  trigger: 'typed' | 'button' | 'misunderstood';
  message: string;
  excerpt: SupportExcerptLine[];
  /** Only when no application is linked (the application's address is used otherwise); null if none given. */
  courriel: string | null;
  status: 'open' | 'answered';
  createdAt: string;
  updatedAt: string;
  firstAnsweredAt: string | null;
  /** Time to first answer, in seconds (kept after erasure: it is a figure, not personal data). */
  firstAnswerSeconds: number | null;
  answers: SupportAnswer[];
  erasedAt?: string | null;
}

const LISTING = 'SUPPORT';
const conversationPartition = (conversationId: string) => `SUPPORT_CONV#${conversationId}`;
const applicationPartition = (applicationId: string) => `SUPPORT_APP#${applicationId}`;
/** gsi2 of a request with no application, until anonymised: what the retention job reads (no Scan). */
const duePartition = (kind: SupportDueKind) => `SUPPORT_DUE#${kind}`;

/** `open`: never answered, due from its opening; `answered`: due from its last answer (retention.support*Days). */
export type SupportDueKind = 'open' | 'answered';

/** When the retention clock of an unlinked request starts: its opening, or its last answer. */
const dueFrom = (r: SupportRequest): string => r.answers.at(-1)?.at ?? r.firstAnsweredAt ?? r.createdAt;

/**
 * Support requests, one item each (`SUPPORT#<id>`), listed for the console (gsi3 `SUPPORT`, most recent first), found
 * by the chat conversation that opened them (gsi1, the chat's poll), by application (gsi2, export and erasure) and,
 * with no application, by the address given (lookup items) and in the retention job's listing (gsi2 `SUPPORT_DUE#…`).
 * Every change is a conditional put on `version`.
 */
export class SupportStore {
  constructor(private readonly table: TableClient) {}

  private item(r: SupportRequest) {
    const sort = `${r.createdAt}#${r.id}`;
    return {
      ...keys.support(r.id),
      type: 'support',
      gsi3pk: LISTING,
      gsi3sk: sort,
      ...(r.conversationId ? { gsi1pk: conversationPartition(r.conversationId), gsi1sk: sort } : {}),
      ...(r.applicationId
        ? { gsi2pk: applicationPartition(r.applicationId), gsi2sk: sort }
        : r.erasedAt
          ? {}
          : { gsi2pk: duePartition(r.status === 'open' ? 'open' : 'answered'), gsi2sk: `${dueFrom(r)}#${r.id}` }),
      ...r,
    };
  }

  /**
   * The address given in the chat (requests with no application) → the request, one lookup item per pair
   * (`SUPPORT_MAIL#<emailHash>` / `SUPPORT#<id>`, the address hashed as for actor_email): the actor's export and
   * erasure find the requests made under their address from any conversation. Written before the request, so no
   * request is ever unfindable; a lookup left alone by a crash points at nothing and is skipped.
   */
  async indexAddress(courriel: string, id: string): Promise<void> {
    await this.table.put({ ...addressKey(courriel, id), type: 'support_mail', supportId: id });
  }

  async unindexAddress(courriel: string, id: string): Promise<void> {
    await this.table.delete(addressKey(courriel, id));
  }

  /** The requests made under an address (given in the chat), oldest first. */
  async ofAddress(courriel: string): Promise<SupportRequest[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': addressKey(courriel, '').pk },
    });
    const found = await Promise.all(items.map((i) => this.get(String(i.supportId))));
    return found
      .filter((r): r is SupportRequest => r !== null && r.courriel !== null && sameAddress(r.courriel, courriel))
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
  }

  /** Unlinked requests not anonymised yet whose retention clock started before `before`, oldest first. */
  async listDue(kind: SupportDueKind, before: string, limit = 100): Promise<SupportRequest[]> {
    const res = await this.table.query({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :p AND gsi2sk < :b',
      ExpressionAttributeValues: { ':p': duePartition(kind), ':b': before },
      Limit: Math.max(1, Math.min(limit, MAX_PAGE)),
    });
    return (res.Items ?? []).map((i) => strip<SupportRequest>(i));
  }

  /** False when the id is taken (a retried call). */
  async create(r: SupportRequest): Promise<boolean> {
    return this.table.put(this.item(r), ABSENT);
  }

  async get(id: string): Promise<SupportRequest | null> {
    return this.table.get<SupportRequest>(keys.support(id));
  }

  /** Replaces the request if its stored version is still `expectedVersion`; the new item, or null when it moved. */
  async replace(r: SupportRequest, expectedVersion: number): Promise<SupportRequest | null> {
    const next = { ...r, version: expectedVersion + 1 };
    const ok = await this.table.put(this.item(next), {
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': expectedVersion },
    });
    return ok ? next : null;
  }

  /**
   * Writes the request again as it is (same version), so that its listings are the ones this version keeps: a request
   * stored before the retention listing existed gets it (`npm run reindex`). False when it changed meanwhile (the
   * change wrote them).
   */
  async relist(r: SupportRequest): Promise<boolean> {
    return this.table.put(this.item(r), {
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': r.version },
    });
  }

  /** Most recent first (the console list). */
  async listRecent(limit = 100): Promise<SupportRequest[]> {
    const res = await this.table.query({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p',
      ExpressionAttributeValues: { ':p': LISTING },
      ScanIndexForward: false,
      Limit: Math.max(1, Math.min(limit, MAX_PAGE)),
    });
    return (res.Items ?? []).map((i) => strip<SupportRequest>(i));
  }

  /** The requests opened from one chat conversation, oldest first. */
  async ofConversation(conversationId: string): Promise<SupportRequest[]> {
    const items = await this.table.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': conversationPartition(conversationId) },
    });
    return items.map((i) => strip<SupportRequest>(i));
  }

  /** The requests linked to one application, oldest first. */
  async ofApplication(applicationId: string): Promise<SupportRequest[]> {
    const items = await this.table.queryAll({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': applicationPartition(applicationId) },
    });
    return items.map((i) => strip<SupportRequest>(i));
  }
}

const addressKey = (courriel: string, id: string) => ({
  pk: `SUPPORT_MAIL#${emailHash(courriel)}`,
  sk: `SUPPORT#${id}`,
});
const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
