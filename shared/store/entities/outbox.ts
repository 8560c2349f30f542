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

  /** Most recent first, across applications (the staff outbox page). */
  async listRecent(limit = 50): Promise<OutboxMessage[]> {
    const res = await this.table.query({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p',
      ExpressionAttributeValues: { ':p': 'OUTBOX' },
      ScanIndexForward: false,
      Limit: Math.max(1, Math.min(limit, MAX_PAGE)),
    });
    return (res.Items ?? []).map((i) => strip<OutboxMessage>(i));
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
