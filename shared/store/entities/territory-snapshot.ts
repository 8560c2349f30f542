import { keys } from '../keys.js';
import type { TableClient } from '../table-client.js';

/**
 * The change counters of the territory view, read in one GetItem: what has changed since a snapshot was computed.
 * `all` invalidates everything; `applications` the in-progress and waitlisted counts (of every département: an
 * application's previous départements are not known to its write); `injections[dep]` a département's passes (and its
 * reach); `places[dep]` the places whose `departement` is `dep` (qualified actors there, and the reach of every
 * département within the radius of those places, found by the reader from their points).
 */
export interface TerritoryCounters {
  all: number;
  applications: number;
  injections: Record<string, number>;
  places: Record<string, number>;
}

/** What changed with one write (the département(s) before and after it, so a move marks both). */
export interface TerritoryChange {
  injections?: readonly string[];
  places?: readonly string[];
  /** The application(s) written: logged with the counter's new value, so a reader re-reads only those. */
  applications?: readonly string[];
}

/** What a snapshot was computed from: it answers only while all of these are still the same. */
export interface SnapshotKey {
  /** The change counters, read before the figures were read. */
  counters: TerritoryCounters;
  /** The day (UTC, YYYY-MM-DD) the 12-month window ends. */
  day: string;
  /** The configuration the figures depend on (ratio target, reach radius), as a string. */
  config: string;
}

export interface TerritorySnapshot<T = unknown> extends SnapshotKey {
  builtAt: string;
  /** When the view was last computed in full (every département): the age limit applies to this one. */
  fullAt: string;
  data: T;
}

export const NO_CHANGE: TerritoryCounters = { all: 0, applications: 0, injections: {}, places: {} };

/**
 * The territory view's cache (docs/territory.md, « Performance »): one counter item with a counter per kind of change
 * and per département, bumped after every write the view depends on (an injection, places published or removed, an
 * application's stage or départements), and one item holding the last computed view with the counters read before
 * computing it. A reader compares the two and recomputes only the départements whose counters moved (all of them
 * when `all` moved, or the day, the configuration or the age limit says so). Reading the counters before the figures
 * makes a race harmless: a write during the computation bumps a counter past the stored value, so the next reader
 * computes that département again.
 *
 * A bump is best effort: it follows a write that already happened, so its failure must not fail that write (a retry
 * of an applied conditional write would meet a conflict). The snapshot's maximum age bounds what a lost bump costs.
 */
export class TerritorySnapshotStore {
  constructor(private readonly table: TableClient) {}

  /**
   * Marks what `change` touched as stale (one atomic UpdateItem; with applications, then one PutItem in the log of
   * application changes); without `change`, everything. Never throws.
   */
  async bump(change?: TerritoryChange): Promise<void> {
    const names: Record<string, string> = { '#t': 'type' };
    const adds: string[] = [];
    const add = (attribute: string) => {
      const n = `#c${adds.length}`;
      names[n] = attribute;
      adds.push(`${n} :one`);
    };
    if (!change) add('count');
    if (change?.applications?.length) add('apps');
    for (const d of new Set(change?.injections ?? [])) add(`${INJECTIONS}${d}`);
    for (const d of new Set(change?.places ?? [])) add(`${PLACES}${d}`);
    if (adds.length === 0) return;
    try {
      const res = await this.table.update({
        Key: keys.counter(GENERATION),
        UpdateExpression: `SET #t = :t ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':one': 1, ':t': 'counter' },
        ...(change?.applications?.length ? { ReturnValues: 'UPDATED_NEW' as const } : {}),
      });
      const n = Number(res.Attributes?.apps ?? 0);
      if (n > 0) {
        // A reader finds which applications changed between two values of the counter here. An entry missing (this
        // put lost) is noticed (fewer entries than the counter moved) and the reader reads them all instead.
        await this.table.put({
          pk: APPLICATION_LOG,
          sk: logKey(n),
          type: 'territory-application-change',
          ids: [...new Set(change?.applications)],
          expiresAt: Math.floor(this.table.now().getTime() / 1000) + LOG_TTL_SECONDS,
        });
      }
    } catch {
      // See the class comment: the maximum age bounds the staleness of a lost bump.
    }
  }

  /** The change counters (all 0 before any change). */
  async counters(): Promise<TerritoryCounters> {
    const item = await this.table.getRaw(keys.counter(GENERATION));
    const out: TerritoryCounters = { all: 0, applications: 0, injections: {}, places: {} };
    if (!item) return out;
    out.all = Number(item.count ?? 0);
    out.applications = Number(item.apps ?? 0);
    for (const [k, v] of Object.entries(item)) {
      if (k.startsWith(INJECTIONS)) out.injections[k.slice(INJECTIONS.length)] = Number(v);
      else if (k.startsWith(PLACES)) out.places[k.slice(PLACES.length)] = Number(v);
    }
    return out;
  }

  /**
   * The applications written while the applications counter went from `after` (excluded) to `upTo` (included), or
   * null when the log misses an entry (then the caller reads every active application): one Query.
   */
  async applicationsChanged(after: number, upTo: number): Promise<string[] | null> {
    if (upTo <= after) return [];
    if (upTo - after > MAX_LOG_READ) return null;
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':p': APPLICATION_LOG, ':a': logKey(after + 1), ':b': logKey(upTo) },
    });
    if (items.length !== upTo - after) return null;
    return [...new Set(items.flatMap((i) => (Array.isArray(i.ids) ? i.ids.map(String) : [])))];
  }

  async get<T>(): Promise<TerritorySnapshot<T> | null> {
    const item = await this.table.getRaw(keys.territorySnapshot());
    if (!item || typeof item.body !== 'string') return null;
    const snapshot = JSON.parse(item.body) as TerritorySnapshot<T>;
    // A snapshot of the previous layout (one generation number) is not comparable: compute again.
    return snapshot.counters ? snapshot : null;
  }

  /** Stores the view (last writer wins: every stored view carries the counters it is valid for). */
  async put<T>(snapshot: TerritorySnapshot<T>): Promise<void> {
    // One string attribute: a few tens of KB of figures, read back whole, never queried by field.
    await this.table.put({ ...keys.territorySnapshot(), type: 'territory-snapshot', body: JSON.stringify(snapshot) });
  }
}

const GENERATION = 'territory#generation';
const APPLICATION_LOG = 'TERRITORY#APPLICATIONS';
const logKey = (n: number) => String(n).padStart(12, '0');
// A day: a reader further behind than that (or than MAX_LOG_READ changes) reads every active application instead.
const LOG_TTL_SECONDS = 86_400;
const MAX_LOG_READ = 500;
// Attribute name prefixes of the per-département counters on the counter item (`i_87`, `p_2A`).
const INJECTIONS = 'i_';
const PLACES = 'p_';
