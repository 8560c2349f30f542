import { EXPIRING, keys } from '../keys.js';
import { ABSENT, MAX_PAGE, strip, type TableClient } from '../table-client.js';
import type { ErasureRequest } from '../types.js';

const ERASURES = 'ERASURES';

/**
 * Erasure requests on qualified applications: a staff task with a due date (contracts may require keeping some data,
 * so a person decides). One item per application under its partition, listed by due date while pending.
 */
export class ErasureStore {
  constructor(private readonly table: TableClient) {}

  /** False when a request is already recorded (the first one and its due date stand). */
  async request(request: ErasureRequest): Promise<boolean> {
    return this.table.put(
      {
        ...keys.erasure(request.applicationId),
        type: 'erasure',
        gsi3pk: ERASURES,
        gsi3sk: `${request.dueAt}#${request.applicationId}`,
        ...request,
      },
      ABSENT,
    );
  }

  async get(applicationId: string): Promise<ErasureRequest | null> {
    return this.table.get<ErasureRequest>(keys.erasure(applicationId));
  }

  /** Pending requests, soonest due first. */
  async listPending(limit = 100): Promise<ErasureRequest[]> {
    const res = await this.table.query({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p',
      ExpressionAttributeValues: { ':p': ERASURES },
      Limit: Math.max(1, Math.min(limit, MAX_PAGE)),
    });
    return (res.Items ?? []).map((i) => strip<ErasureRequest>(i));
  }

  /** Done: out of the pending listing, with when and by whom (an erasure asked later finds it done). */
  async complete(applicationId: string, at: string, by: string): Promise<void> {
    await this.table.update({
      Key: keys.erasure(applicationId),
      UpdateExpression: 'SET doneAt = :at, doneBy = :by REMOVE gsi3pk, gsi3sk',
      ExpressionAttributeValues: { ':at': at, ':by': by },
    });
  }
}

/**
 * Items that must be gone after a date (gsi3 `EXPIRES`, see keys.expiringKeys): sessions today, sign-in codes when
 * they exist. The retention job lists the overdue ones and deletes them by key.
 */
export class ExpiringStore {
  constructor(private readonly table: TableClient) {}

  async listExpired(now: Date, limit = 100): Promise<{ pk: string; sk: string; type: string }[]> {
    const res = await this.table.query({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p AND gsi3sk < :now',
      ExpressionAttributeValues: { ':p': EXPIRING, ':now': now.toISOString() },
      ProjectionExpression: 'pk, sk, #t',
      ExpressionAttributeNames: { '#t': 'type' },
      Limit: Math.max(1, Math.min(limit, MAX_PAGE)),
    });
    return (res.Items ?? []).map((i) => ({ pk: String(i.pk), sk: String(i.sk), type: String(i.type) }));
  }

  /** Deletes one listed item, only while it is still expired (a renewed session is kept). */
  async deleteIfExpired(key: { pk: string; sk: string }, now: Date): Promise<boolean> {
    return this.table.delete(
      { pk: key.pk, sk: key.sk },
      {
        ConditionExpression: 'expiresAt <= :now',
        ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
      },
    );
  }
}
