import { keys } from '../keys.js';
import { ABSENT, MAX_PAGE, strip, type TableClient } from '../table-client.js';
import type { OutboxMessage } from '../types.js';

/** Messages to the actor, one per (application, deterministic key): the chat and the staff outbox page read them. */
export class OutboxStore {
  constructor(private readonly table: TableClient) {}

  /**
   * Writes the message only if its key is new: one conditional write both records it and tells a retried Task that
   * it was already sent (false), so an e-mail goes out at most once.
   */
  async putIfAbsent(message: OutboxMessage): Promise<boolean> {
    return this.table.put(
      {
        ...keys.outbox(message.applicationId, message.key),
        type: 'outbox',
        gsi3pk: 'OUTBOX',
        gsi3sk: `${message.at}#${message.applicationId}#${message.key}`,
        ...message,
      },
      ABSENT,
    );
  }

  /** Records that the message left by e-mail (after putIfAbsent). */
  async markDelivered(applicationId: string, key: string): Promise<void> {
    await this.table.update({
      Key: keys.outbox(applicationId, key),
      UpdateExpression: 'SET delivered = :t',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':t': true },
    });
  }

  async get(applicationId: string, key: string): Promise<OutboxMessage | null> {
    return this.table.get<OutboxMessage>(keys.outbox(applicationId, key));
  }

  /** The messages of one application, oldest first. */
  async list(applicationId: string): Promise<OutboxMessage[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.application(applicationId).pk, ':s': 'OUTBOX#' },
    });
    return items.map((i) => strip<OutboxMessage>(i)).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  /**
   * Most recent first, across applications (the staff outbox page), optionally of one state: `sent` (delivered),
   * `waiting` (an e-mail not delivered yet), `kept` (no e-mail on this host: the stored message is the record). The
   * state is a filter, read ahead by pages of 500, at most 5,000 messages looked at.
   */
  async listRecent(limit = 50, state?: 'sent' | 'waiting' | 'kept'): Promise<OutboxMessage[]> {
    const want = Math.max(1, Math.min(limit, MAX_PAGE));
    const filter =
      state === 'sent'
        ? { FilterExpression: 'delivered = :t', ExpressionAttributeValues: { ':t': true } }
        : state === 'waiting'
          ? {
              FilterExpression: 'delivered = :f AND channel <> :o',
              ExpressionAttributeValues: { ':f': false, ':o': 'outbox' },
            }
          : state === 'kept'
            ? { FilterExpression: 'channel = :o', ExpressionAttributeValues: { ':o': 'outbox' } }
            : { ExpressionAttributeValues: {} };
    const out: OutboxMessage[] = [];
    let start: Record<string, unknown> | undefined;
    let read = 0;
    do {
      const res = await this.table.query({
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :p',
        ...(filter.FilterExpression ? { FilterExpression: filter.FilterExpression } : {}),
        ExpressionAttributeValues: { ':p': 'OUTBOX', ...filter.ExpressionAttributeValues },
        ScanIndexForward: false,
        Limit: state ? 500 : want,
        ExclusiveStartKey: start,
      });
      out.push(...(res.Items ?? []).map((i) => strip<OutboxMessage>(i)));
      read += res.ScannedCount ?? res.Count ?? 0;
      start = res.LastEvaluatedKey;
    } while (state && start && out.length < want && read < 5_000);
    return out.slice(0, want);
  }

  /** Erasure: deletes every message of the application (its partition and the OUTBOX listing). */
  async deleteAll(applicationId: string): Promise<number> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.application(applicationId).pk, ':s': 'OUTBOX#' },
      ProjectionExpression: 'pk, sk',
    });
    await this.table.batchWrite(items.map((i) => ({ DeleteRequest: { Key: { pk: i.pk, sk: i.sk } } })));
    return items.length;
  }
}
