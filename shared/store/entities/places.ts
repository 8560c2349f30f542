import { keys, placeSortKey } from '../keys.js';
import { strip, type TableClient } from '../table-client.js';
import type { PlaceInput, PlaceItem } from '../types.js';
import type { TerritorySnapshotStore } from './territory-snapshot.js';

/** The part of a published place the territory view reads. */
export interface PlaceFigures {
  applicationId: string;
  departement: string;
  place: { latitude?: unknown; longitude?: unknown; code_insee?: unknown };
}

/** Published places of qualified actors: items under the application, all in one gsi2 partition for the map. */
export class PlaceStore {
  constructor(
    private readonly table: TableClient,
    /** The territory view's cache: publishing or removing places makes it stale. */
    private readonly territory: TerritorySnapshotStore | null = null,
  ) {}

  /** Replaces the published places of an application (an empty list unpublishes). Idempotent. */
  async replace(applicationId: string, places: PlaceInput[]): Promise<void> {
    const publishedAt = this.table.now().toISOString();
    const existing = await this.table.queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.application(applicationId).pk, ':s': 'PLACE#' },
      ProjectionExpression: 'pk, sk, n, departement',
    });
    const puts = places.map((p, n) => ({
      PutRequest: {
        Item: {
          ...keys.place(applicationId, n),
          type: 'place',
          gsi2pk: 'PLACE',
          gsi2sk: placeSortKey(p.departement, applicationId, n),
          applicationId,
          n,
          departement: p.departement,
          place: p.place,
          ...(p.precision ? { precision: p.precision } : {}),
          publishedAt,
        },
      },
    }));
    const deletes = existing
      .filter((i) => Number(i.n) >= places.length)
      .map((i) => ({ DeleteRequest: { Key: { pk: i.pk, sk: i.sk } } }));
    await this.table.batchWrite([...puts, ...deletes]);
    // The départements of the places before and after: their qualified actors, and the reach around those places.
    await this.territory?.bump({
      places: [
        ...existing.flatMap((i) => (typeof i.departement === 'string' ? [i.departement] : [])),
        ...places.map((p) => p.departement),
      ],
    });
  }

  /** The published places of one application (one Query in its partition). */
  async listFor(applicationId: string): Promise<PlaceItem[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.application(applicationId).pk, ':s': 'PLACE#' },
    });
    return items.map((i) => strip<PlaceItem>(i));
  }

  /**
   * What the territory view needs of the published places (all, or one département's): who, where, and the
   * coordinates and commune when the row has them. A projection: a fraction of the bytes of `list`.
   */
  async listFigures(filter: { departement?: string } = {}): Promise<PlaceFigures[]> {
    const items = await this.table.queryAll({
      IndexName: 'gsi2',
      KeyConditionExpression: filter.departement ? 'gsi2pk = :p AND begins_with(gsi2sk, :d)' : 'gsi2pk = :p',
      ExpressionAttributeValues: filter.departement
        ? { ':p': 'PLACE', ':d': `${filter.departement}#` }
        : { ':p': 'PLACE' },
      ProjectionExpression: 'applicationId, departement, #pl.latitude, #pl.longitude, #pl.code_insee',
      ExpressionAttributeNames: { '#pl': 'place' },
    });
    return items.map((i) => ({
      applicationId: String(i.applicationId),
      departement: String(i.departement),
      place: (i.place ?? {}) as PlaceFigures['place'],
    }));
  }

  /** All published places (one Query on the places index), or those of one département. */
  async list(filter: { departement?: string } = {}): Promise<PlaceItem[]> {
    const items = await this.table.queryAll({
      IndexName: 'gsi2',
      KeyConditionExpression: filter.departement ? 'gsi2pk = :p AND begins_with(gsi2sk, :d)' : 'gsi2pk = :p',
      ExpressionAttributeValues: filter.departement
        ? { ':p': 'PLACE', ':d': `${filter.departement}#` }
        : { ':p': 'PLACE' },
    });
    return items.map((i) => strip<PlaceItem>(i));
  }
}
