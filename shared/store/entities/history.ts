import { Expression } from '../expression.js';
import { keys } from '../keys.js';
import { type Item, strip, type TableClient } from '../table-client.js';
import type { HistoryEvent } from '../types.js';

/** The history of an application: events under its partition (`EVT#<key>`), each written once per key. */
export class HistoryStore {
  constructor(private readonly table: TableClient) {}

  /**
   * Idempotent on (applicationId, key): a retried write overwrites itself, and keeps the first `at` so the
   * event's place in the history does not move.
   */
  async append(event: HistoryEvent): Promise<void> {
    const { type: eventType, at, applicationId, key, ...rest } = event;
    const x = new Expression();
    // `type` is the table's item type column, so the event's own type is stored as `eventType`.
    x.set('type', 'event').set('applicationId', applicationId).set('key', key).set('eventType', eventType);
    for (const [attr, value] of Object.entries(rest)) if (value !== undefined) x.set(attr, value);
    x.setIfNotExists('at', at);
    await this.table.update({ Key: keys.event(applicationId, key), UpdateExpression: x.update(), ...x.attributes() });
  }

  /** Chronological (by `at`, then key for events of the same instant). */
  async list(applicationId: string): Promise<HistoryEvent[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.application(applicationId).pk, ':s': 'EVT#' },
    });
    return items
      .map((i) => {
        const { eventType, ...rest } = strip<Item>(i);
        return { ...rest, type: eventType } as HistoryEvent;
      })
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * Erasure: every event keeps its type, stage, date and who acted (kind, and staff ids), and loses its `comment`
   * and `data` (where a person's words or details could be). Returns how many events changed.
   */
  async redactAll(applicationId: string): Promise<number> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.application(applicationId).pk, ':s': 'EVT#' },
      ProjectionExpression: 'pk, sk, #c, #d',
      ExpressionAttributeNames: { '#c': 'comment', '#d': 'data' },
    });
    const dirty = items.filter((i) => i.comment !== undefined || i.data !== undefined);
    // A few at a time: a long history should not cost one round trip per event in a row.
    for (let k = 0; k < dirty.length; k += 8) {
      await Promise.all(
        dirty.slice(k, k + 8).map((i) =>
          this.table.update({
            Key: { pk: i.pk, sk: i.sk },
            UpdateExpression: 'REMOVE #c, #d',
            ExpressionAttributeNames: { '#c': 'comment', '#d': 'data' },
          }),
        ),
      );
    }
    return dirty.length;
  }
}
