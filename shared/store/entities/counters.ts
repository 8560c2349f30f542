import { keys } from '../keys.js';
import type { TableClient } from '../table-client.js';

/**
 * Named counters, each one item changed by an atomic ADD, so concurrent Lambdas never lose or overshoot a count.
 * They serve the département volume caps (name = the département code), login throttling (`login#…` per window)
 * and campaign funnels (`campaign#<code>#<event>`): the caller owns its names.
 *
 * The stored items keep the layout they had when counters were only per département (`COUNTER#<name>`, the name in
 * a `departement` attribute), so existing counts read on.
 */
export class CounterStore {
  constructor(private readonly table: TableClient) {}

  /**
   * +1 while the count is below `cap` (one conditional ADD): true when counted, false when the count had reached
   * `cap` (nothing changed). `expiresAt` (epoch seconds) sets the table's TTL on short-lived counters.
   */
  async incrementUpTo(
    name: string,
    cap: number,
    options: {
      expiresAt?: number /** Also record this time (epoch ms) as the last increment's: `read` returns it. */;
      lastAt?: number;
    } = {},
  ): Promise<boolean> {
    if (cap <= 0) return false;
    const ttl = options.expiresAt !== undefined;
    const stamp = options.lastAt !== undefined;
    const out = await this.table.ifCondition(
      this.table.update({
        Key: keys.counter(name),
        UpdateExpression: `SET #t = :t, departement = :d${ttl ? ', expiresAt = :e' : ''}${stamp ? ', lastAt = :at' : ''} ADD #c :one`,
        ConditionExpression: 'attribute_not_exists(#c) OR #c < :cap',
        ExpressionAttributeNames: { '#c': 'count', '#t': 'type' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':cap': cap,
          ':t': 'counter',
          ':d': name,
          ...(ttl ? { ':e': options.expiresAt } : {}),
          ...(stamp ? { ':at': options.lastAt } : {}),
        },
      }),
    );
    return out !== null;
  }

  /** +1 with no cap to speak of (funnel counts). */
  async increment(name: string): Promise<void> {
    await this.incrementUpTo(name, Number.MAX_SAFE_INTEGER);
  }

  /** −1, never below zero. False when the count was already zero (or the counter absent). */
  async decrement(name: string): Promise<boolean> {
    const out = await this.table.ifCondition(
      this.table.update({
        Key: keys.counter(name),
        UpdateExpression: 'ADD #c :minus',
        ConditionExpression: '#c > :zero',
        ExpressionAttributeNames: { '#c': 'count' },
        ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
      }),
    );
    return out !== null;
  }

  /** The count and, if an increment stamped it, when it was last incremented (epoch ms). */
  async read(name: string): Promise<{ count: number; lastAt: number | null }> {
    const item = await this.table.getRaw(keys.counter(name));
    return { count: item ? Number(item.count ?? 0) : 0, lastAt: typeof item?.lastAt === 'number' ? item.lastAt : null };
  }

  /** Forget a counter (back to 0). */
  async reset(name: string): Promise<void> {
    await this.table.delete(keys.counter(name));
  }

  /** The current count; 0 for a counter never incremented. */
  async get(name: string): Promise<number> {
    const item = await this.table.getRaw(keys.counter(name));
    return item ? Number(item.count ?? 0) : 0;
  }
}
