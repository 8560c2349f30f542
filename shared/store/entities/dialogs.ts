import { ConflictError } from '../errors.js';
import { Expression } from '../expression.js';
import { keys } from '../keys.js';
import { epochSeconds, type TableClient } from '../table-client.js';
import type { DialogState } from '../types.js';

/** The chat's dialog state, one item per conversation, with a TTL. */
export class DialogStore {
  constructor(private readonly table: TableClient) {}

  /**
   * Optimistic locking, as for applications: the write only succeeds while the stored version is still
   * `expectedVersion`, and stores `expectedVersion + 1`. Two Lambdas answering the same conversation at once would
   * otherwise both write and the later one would silently erase the other's turn. `expectedVersion` 0 means "no
   * usable item was read": none, an expired one (dynalite keeps it, DynamoDB deletes it only eventually), or one
   * written before dialog items had a version (they load without a migration). A stale version → ConflictError,
   * nothing written.
   */
  async put(
    conversationId: string,
    state: Record<string, unknown>,
    ttlSeconds: number,
    expectedVersion: number,
  ): Promise<DialogState> {
    const now = this.table.now();
    const item: DialogState = {
      conversationId,
      state,
      version: expectedVersion + 1,
      updatedAt: now.toISOString(),
      expiresAt: epochSeconds(now) + ttlSeconds,
    };
    const x = new Expression();
    const condition =
      expectedVersion === 0
        ? `attribute_not_exists(${x.n('version')}) OR ${x.n('expiresAt')} <= ${x.v(epochSeconds(now))}`
        : `${x.n('version')} = ${x.v(expectedVersion)}`;
    const written = await this.table.put(
      // Listed by last activity (gsi3 DIALOG): the retention job finds idle conversations without a Scan.
      { ...keys.dialog(conversationId), type: 'dialog', ...dialogListing(item.updatedAt, conversationId), ...item },
      { ConditionExpression: condition, ...x.attributes() },
    );
    if (!written) throw new ConflictError(`DIALOG#${conversationId}`, expectedVersion);
    return item;
  }

  /** Null when absent or expired (dynalite never deletes TTL items, and DynamoDB deletes them only eventually). */
  async get(conversationId: string): Promise<DialogState | null> {
    const item = await this.table.get<Omit<DialogState, 'version'> & { version?: number }>(keys.dialog(conversationId));
    if (!item || item.expiresAt <= epochSeconds(this.table.now())) return null;
    return { ...item, version: item.version ?? 0 };
  }

  async delete(conversationId: string): Promise<void> {
    await this.table.delete(keys.dialog(conversationId));
  }

  /** The stored item as is, expired or not (export, erasure): null when absent. */
  async getRaw(conversationId: string): Promise<DialogState | null> {
    return this.table.get<DialogState>(keys.dialog(conversationId));
  }

  /** Conversations whose last activity is before `before` (ISO), oldest first (items written since the listing). */
  async listIdleBefore(before: string, limit = 100): Promise<{ conversationId: string; updatedAt: string }[]> {
    const res = await this.table.query({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p AND gsi3sk < :b',
      ExpressionAttributeValues: { ':p': DIALOG_LISTING, ':b': before },
      ProjectionExpression: 'conversationId, updatedAt',
      Limit: Math.max(1, Math.min(limit, 200)),
    });
    return (res.Items ?? []).map((i) => ({ conversationId: String(i.conversationId), updatedAt: String(i.updatedAt) }));
  }

  /** Deletes a conversation unless a turn stored it since `updatedAt` was read (then it is not idle). */
  async deleteIfIdle(conversationId: string, updatedAt: string): Promise<boolean> {
    return this.table.delete(keys.dialog(conversationId), {
      ConditionExpression: 'updatedAt = :u',
      ExpressionAttributeValues: { ':u': updatedAt },
    });
  }
}

const DIALOG_LISTING = 'DIALOG';
const dialogListing = (updatedAt: string, conversationId: string) => ({
  gsi3pk: DIALOG_LISTING,
  gsi3sk: `${updatedAt}#${conversationId}`,
});
