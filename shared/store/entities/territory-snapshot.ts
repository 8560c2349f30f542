import { keys } from '../keys.js';
import type { TableClient } from '../table-client.js';

/** What a snapshot was computed from: it answers only while all of these are still the same. */
export interface SnapshotKey {
  /** The change counter read before the figures were read. */
  generation: number;
  /** The day (UTC, YYYY-MM-DD) the 12-month window ends. */
  day: string;
  /** The configuration the figures depend on (ratio target, reach radius), as a string. */
  config: string;
}

export interface TerritorySnapshot<T = unknown> extends SnapshotKey {
  builtAt: string;
  data: T;
}

/**
 * The territory view's cache (docs/territory.md, « Performance »): one counter item bumped after every write the view
 * depends on (an injection, a place published or removed, an application's stage or départements), and one item
 * holding the last computed view with the counter value read before computing it. A reader compares the two: equal
 * (and the same day and configuration, and younger than the maximum age) → the stored view is current; otherwise it
 * computes again. Reading the counter before the figures makes a race harmless: a write during the computation bumps
 * the counter past the stored value, so the next reader computes again.
 *
 * A bump is best effort: it follows a write that already happened, so its failure must not fail that write (a retry
 * of an applied conditional write would meet a conflict). The snapshot's maximum age bounds what a lost bump costs.
 */
export class TerritorySnapshotStore {
  constructor(private readonly table: TableClient) {}

  /** Marks the view stale (one atomic ADD). Never throws. */
  async bump(): Promise<void> {
    try {
      await this.table.update({
        Key: keys.counter(GENERATION),
        UpdateExpression: 'SET #t = :t ADD #c :one',
        ExpressionAttributeNames: { '#c': 'count', '#t': 'type' },
        ExpressionAttributeValues: { ':one': 1, ':t': 'counter' },
      });
    } catch {
      // See the class comment: the maximum age bounds the staleness of a lost bump.
    }
  }

  /** The change counter (0 before any change). */
  async generation(): Promise<number> {
    const item = await this.table.getRaw(keys.counter(GENERATION));
    return item ? Number(item.count ?? 0) : 0;
  }

  async get<T>(): Promise<TerritorySnapshot<T> | null> {
    const item = await this.table.getRaw(keys.territorySnapshot());
    if (!item || typeof item.body !== 'string') return null;
    return JSON.parse(item.body) as TerritorySnapshot<T>;
  }

  /** Stores the view (last writer wins: every stored view carries the key it is valid for). */
  async put<T>(snapshot: TerritorySnapshot<T>): Promise<void> {
    // One string attribute: a few tens of KB of figures, read back whole, never queried by field.
    await this.table.put({ ...keys.territorySnapshot(), type: 'territory-snapshot', body: JSON.stringify(snapshot) });
  }
}

const GENERATION = 'territory#generation';
