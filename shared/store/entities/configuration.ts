import { ConflictError } from '../errors.js';
import { keys } from '../keys.js';
import { ABSENT, type TableClient } from '../table-client.js';
import type { ConfigOverrides } from '../types.js';

/** How long a Store reuses the configuration overrides it read (see ConfigStore.getOverrides). */
export const CONFIG_CACHE_MS = 3000;

/** The administrators' overrides of the configuration file: one versioned item, cached briefly per Store. */
export class ConfigStore {
  constructor(private readonly table: TableClient) {}

  private overridesCache: { at: number; value: Promise<ConfigOverrides | null> } | null = null;

  /**
   * Every use case reads the configuration: the overrides item is cached for a few seconds per Store (process or
   * Lambda container), and a write through this Store drops the cache at once. Other containers see a change within
   * CONFIG_CACHE_MS.
   */
  async getOverrides(options: { fresh?: boolean } = {}): Promise<ConfigOverrides | null> {
    const now = Date.now();
    if (!options.fresh && this.overridesCache && now - this.overridesCache.at < CONFIG_CACHE_MS) {
      return this.overridesCache.value;
    }
    const value = this.table.get<ConfigOverrides>(keys.config());
    this.overridesCache = { at: now, value };
    value.catch(() => {
      this.overridesCache = null;
    });
    return value;
  }

  /** Optimistic locking: `expectedVersion` is the version read (0 when there were no overrides yet). */
  async putOverrides(data: Record<string, unknown>, expectedVersion: number, by: string): Promise<ConfigOverrides> {
    const item: ConfigOverrides = {
      version: expectedVersion + 1,
      data,
      updatedAt: this.table.now().toISOString(),
      updatedBy: by,
    };
    this.overridesCache = null;
    try {
      const written = await this.table.put(
        { ...keys.config(), type: 'config', ...item },
        expectedVersion === 0
          ? ABSENT
          : {
              ConditionExpression: '#v = :v',
              ExpressionAttributeNames: { '#v': 'version' },
              ExpressionAttributeValues: { ':v': expectedVersion },
            },
      );
      if (!written) throw new ConflictError('CONFIG', expectedVersion);
      return item;
    } finally {
      this.overridesCache = null;
    }
  }
}
