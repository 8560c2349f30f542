import { ABSENT, strip, type TableClient } from '../table-client.js';

/**
 * A prospect: a place of digital mediation published in the national open data (another operator's, the national
 * map's) that is not — or not yet — an #APTIC actor. Only organisation data as published openly: no person's name,
 * no free-text presentation; the public e-mail address is the place's published contact (for invitations, which
 * honour opt-outs).
 */
export interface Prospect {
  /** Ours: `p-` + a hash of the source and the row's own id (the same row imported again is the same prospect). */
  id: string;
  /** The row's `id` and `source` in the national schema. */
  sourceId: string;
  source: string | null;
  /** The row's `pivot` as published, and the SIRET it holds when it is a valid one (matching). */
  pivot: string;
  siret: string | null;
  nom: string;
  adresse: string;
  code_postal: string;
  commune: string;
  code_insee: string;
  departement: string;
  typologie: string | null;
  structure_parente: string | null;
  services: string[];
  courriel: string | null;
  site_web: string | null;
  telephone: string | null;
  date_maj: string;
  /** Hash of the fields above: an import that brings the same row again changes nothing. */
  hash: string;
  importedAt: string;
  importedBy: string;
  updatedAt: string;
}

/**
 * Prospects. Layout (keys.ts):
 * | prospect | PROSPECT#<id> | PROSPECT | gsi3 PROSPECTS#<departement> / <normalised name>#<id> |
 * One item per prospect, its département in its index key: listing a département is one Query (never a Scan), and a
 * prospect that moves (new address) moves with its one write.
 */
export class ProspectStore {
  constructor(private readonly table: TableClient) {}

  /** Current versions of these ids (absent ones are left out), 100 keys per request. */
  async getMany(ids: readonly string[]): Promise<Prospect[]> {
    const out: Prospect[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const items = await this.table.batchGet(ids.slice(i, i + 100).map((id) => key(id)));
      out.push(...items.map(fromItem));
    }
    return out;
  }

  /**
   * What an import compares and keeps of these ids (absent ones are left out): the hash of the row's fields and who
   * first imported it, 100 keys per request. A projection: an import reads back a fraction of each item.
   */
  async getImportState(ids: readonly string[]): Promise<Pick<Prospect, 'id' | 'hash' | 'importedAt' | 'importedBy'>[]> {
    const out: Pick<Prospect, 'id' | 'hash' | 'importedAt' | 'importedBy'>[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const items = await this.table.batchGet(
        ids.slice(i, i + 100).map((id) => key(id)),
        { ProjectionExpression: 'id, #h, importedAt, importedBy', ExpressionAttributeNames: { '#h': 'hash' } },
      );
      for (const it of items) {
        out.push({
          id: String(it.id),
          hash: String(it.hash),
          importedAt: String(it.importedAt),
          importedBy: String(it.importedBy),
        });
      }
    }
    return out;
  }

  async get(id: string): Promise<Prospect | null> {
    const item = await this.table.getRaw(key(id));
    return item ? fromItem(item) : null;
  }

  /**
   * Writes (creates or replaces) prospects, 25 per request, unprocessed items retried. Empty fields (null) are not
   * written: a third fewer attributes to send and store for a typical row; reading gives them back as null.
   */
  async putMany(prospects: readonly (Prospect & { sortName: string })[]): Promise<void> {
    await this.table.batchWrite(
      prospects.map(({ sortName, ...p }) => {
        const Item: Record<string, unknown> = {
          ...key(p.id),
          type: 'prospect',
          gsi3pk: `PROSPECTS#${p.departement}`,
          gsi3sk: `${sortName}#${p.id}`,
        };
        for (const [k, v] of Object.entries(p)) if (v !== null && v !== undefined) Item[k] = v;
        return { PutRequest: { Item } };
      }),
    );
  }

  /** The prospects of one département, by name: one Query. */
  async listByDepartement(departement: string): Promise<Prospect[]> {
    const items = await this.table.queryAll({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p',
      ExpressionAttributeValues: { ':p': `PROSPECTS#${departement}` },
    });
    return items.map(fromItem);
  }
}

const key = (id: string) => ({ pk: `PROSPECT#${id}`, sk: 'PROSPECT' });

/** The fields that may be empty: not written when null (putMany), null again when read. */
const NULLABLE = ['source', 'siret', 'typologie', 'structure_parente', 'courriel', 'site_web', 'telephone'] as const;

function fromItem(item: Record<string, unknown>): Prospect {
  const p = strip<Prospect>(item);
  for (const f of NULLABLE) (p as unknown as Record<string, unknown>)[f] ??= null;
  return p;
}

/** An invitation sent to a prospect's public address for one campaign (the record that it went, once). */
export interface Invitation {
  campaign: string;
  prospectId: string;
  /** Hash of the address (keys.ts `emailHash`): the key, so one address is invited once per campaign. */
  emailHash: string;
  to: string;
  subject: string;
  text: string;
  at: string;
  channel: string;
  delivered: boolean;
}

/**
 * Invitations, opt-outs and unsubscribe tokens. Layout (keys.ts):
 * | invitation | CAMPAIGN#<code>        | INVITE#<emailHash> | gsi3 OUTBOX / <at>#campaign:<code>#<emailHash> |
 * | opt-out    | OPTOUT#<emailHash>     | OPTOUT             |                                                 |
 * | unsub. tok | UNSUB#<sha256(token)>  | UNSUB              |                                                 |
 * An invitation sits in the staff outbox listing beside the actors' messages (`applicationId` = `campaign:<code>`):
 * on one machine that is where e-mail « goes ». The token is stored hashed: the table cannot rebuild a link.
 */
export class InvitationStore {
  constructor(private readonly table: TableClient) {}

  /** Records the invitation if this address has none for this campaign; false when it had one (nothing written). */
  async claim(inv: Invitation): Promise<boolean> {
    return this.table.put(
      {
        pk: `CAMPAIGN#${inv.campaign}`,
        sk: `INVITE#${inv.emailHash}`,
        type: 'invitation',
        gsi3pk: 'OUTBOX',
        gsi3sk: `${inv.at}#campaign:${inv.campaign}#${inv.emailHash}`,
        applicationId: `campaign:${inv.campaign}`,
        key: `invite#${inv.emailHash}`,
        ...inv,
      },
      ABSENT,
    );
  }

  async markDelivered(campaign: string, emailHash: string): Promise<void> {
    await this.table.update({
      Key: { pk: `CAMPAIGN#${campaign}`, sk: `INVITE#${emailHash}` },
      UpdateExpression: 'SET delivered = :t',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':t': true },
    });
  }

  /** The invitations of one campaign: one Query of its partition. */
  async listFor(campaign: string): Promise<Invitation[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': `CAMPAIGN#${campaign}`, ':s': 'INVITE#' },
    });
    return items.map((i) => {
      const { applicationId: _a, key: _k, ...rest } = strip<Invitation & { applicationId: string; key: string }>(i);
      return rest;
    });
  }

  async saveUnsubscribeToken(tokenHash: string, emailHash: string, at: string): Promise<void> {
    await this.table.put({ pk: `UNSUB#${tokenHash}`, sk: 'UNSUB', type: 'unsubscribe-token', emailHash, at });
  }

  async emailHashForToken(tokenHash: string): Promise<string | null> {
    const item = await this.table.getRaw({ pk: `UNSUB#${tokenHash}`, sk: 'UNSUB' });
    return typeof item?.emailHash === 'string' ? item.emailHash : null;
  }

  async optOut(emailHash: string, at: string): Promise<void> {
    await this.table.put({ pk: `OPTOUT#${emailHash}`, sk: 'OPTOUT', type: 'opt-out', emailHash, at });
  }

  /** The opted-out addresses among these hashes (100 keys per request). */
  async optedOut(emailHashes: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < emailHashes.length; i += 100) {
      const items = await this.table.batchGet(
        emailHashes.slice(i, i + 100).map((h) => ({ pk: `OPTOUT#${h}`, sk: 'OPTOUT' })),
      );
      for (const it of items) if (typeof it.emailHash === 'string') out.add(it.emailHash);
    }
    return out;
  }
}
