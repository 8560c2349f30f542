import { randomUUID } from 'node:crypto';
import { keys } from '../keys.js';
import { MAX_PAGE, strip, type TableClient } from '../table-client.js';
import type { ChangeRecord } from '../types.js';

/** Audit trail of administrative changes: per entity (`AUDIT#<entity>`) and across all (gsi3 `AUDIT`). */
export class AuditStore {
  constructor(private readonly table: TableClient) {}

  /** Records who changed what and when. Pass `id` to make a retried record overwrite itself. */
  async record(change: Omit<ChangeRecord, 'id' | 'at'> & { id?: string; at?: string }): Promise<ChangeRecord> {
    const record: ChangeRecord = {
      ...change,
      id: change.id ?? randomUUID(),
      at: change.at ?? this.table.now().toISOString(),
    };
    await this.table.put({
      ...keys.change(record.entity, record.at, record.id),
      type: 'change',
      gsi3pk: 'AUDIT',
      gsi3sk: `${record.at}#${record.id}`,
      ...record,
    });
    return record;
  }

  /** Most recent first: of one entity, or across all. */
  async list(filter: { entity?: string; limit?: number } = {}): Promise<ChangeRecord[]> {
    const res = await this.table.query({
      ...(filter.entity
        ? { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': `AUDIT#${filter.entity}` } }
        : {
            IndexName: 'gsi3',
            KeyConditionExpression: 'gsi3pk = :p',
            ExpressionAttributeValues: { ':p': 'AUDIT' },
          }),
      ScanIndexForward: false,
      Limit: Math.max(1, Math.min(filter.limit ?? 50, MAX_PAGE)),
    });
    return (res.Items ?? []).map((i) => strip<ChangeRecord>(i));
  }
}
