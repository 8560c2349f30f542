import { applicationTokens } from '../../domain/search-text.js';
import { keys, searchEntry, searchPartition } from '../keys.js';
import type { TableClient } from '../table-client.js';

/**
 * The console's search index, in the table (no Scan on a request path): one small item per (token, application),
 * partitioned by the token's first two characters (`SEARCH#li`), sorted by `<token>#<applicationId>`, so a word, a
 * SIRET, an e-mail or an id is found by prefix with one `begins_with` Query. Each application also keeps the list of
 * its tokens (`APP#<id>` / `SEARCH`): a changed document removes the tokens it no longer has.
 * Written by ApplicationStore on create and on every document change (see docs/console.md, « Recherche »).
 */
export class SearchStore {
  constructor(private readonly table: TableClient) {}

  /** Idempotent: puts the tokens the application has now, deletes those it had before and lost. */
  async index(app: { id: string; siret: string | null; document: unknown }): Promise<void> {
    const tokens = applicationTokens(app);
    const record = await this.table.getRaw(keys.searchRecord(app.id));
    const before = new Set(Array.isArray(record?.tokens) ? (record.tokens as string[]) : []);
    const now = new Set(tokens);
    const writes = [
      ...tokens
        .filter((t) => !before.has(t))
        .map((t) => ({
          PutRequest: { Item: { ...searchEntry(t, app.id), type: 'search', applicationId: app.id } },
        })),
      ...[...before].filter((t) => !now.has(t)).map((t) => ({ DeleteRequest: { Key: searchEntry(t, app.id) } })),
    ];
    if (writes.length) await this.table.batchWrite(writes);
    await this.table.put({ ...keys.searchRecord(app.id), type: 'search_record', applicationId: app.id, tokens });
  }

  /** The tokens each application is indexed under (its `APP#<id>` / `SEARCH` record): BatchGets of 100. */
  async tokensOf(ids: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (let i = 0; i < ids.length; i += 100) {
      const items = await this.table.batchGet(ids.slice(i, i + 100).map((id) => keys.searchRecord(id)));
      for (const item of items) {
        if (typeof item.applicationId === 'string' && Array.isArray(item.tokens)) {
          out.set(item.applicationId, item.tokens as string[]);
        }
      }
    }
    return out;
  }

  /**
   * Application ids with a token starting with `prefix` (2 characters at least), at most `limit` of them (a word
   * as common as « limoges » matches thousands: the caller asks for a bounded number and says so).
   */
  async idsByPrefix(prefix: string, limit: number): Promise<string[]> {
    return (await this.pageByPrefix(prefix, limit)).ids;
  }

  /**
   * One bounded read of the entries under `prefix`: at most `limit` distinct application ids (the limit is the
   * Query's, so no more entries are read than asked for), and where to go on (`next`, absent at the end). The
   * search goes on from `next` only when the first page did not give it enough.
   */
  async pageByPrefix(
    prefix: string,
    limit: number,
    next?: Record<string, unknown>,
  ): Promise<{ ids: string[]; next?: Record<string, unknown> }> {
    if (prefix.length < 2 || limit <= 0) return { ids: [] };
    const pk = searchPartition(prefix);
    const ids = new Set<string>();
    let start = next;
    do {
      const res = await this.table.query({
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': pk, ':s': prefix },
        ProjectionExpression: 'sk, applicationId',
        // An application has a prefix's entry once per matching token (« saint » and « saintes »): rarely more than
        // one, so the Query asks for what is missing, plus a little.
        Limit: Math.min(1000, limit - ids.size + 5),
        ExclusiveStartKey: start,
      });
      start = res.LastEvaluatedKey;
      for (const item of res.Items ?? []) {
        if (typeof item.applicationId === 'string') ids.add(item.applicationId);
        // Enough: go on, next time, right after the entry just taken (not after the page's last one).
        if (ids.size >= limit) return { ids: [...ids], next: { pk, sk: item.sk } };
      }
    } while (start);
    return { ids: [...ids] };
  }
}
