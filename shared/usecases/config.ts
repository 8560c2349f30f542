import { type AppConfig, AppConfigSchema } from '../config/config.js';
import type { Store } from '../store/store.js';

/**
 * The configuration in force: the file's values, overridden key by key by what admins changed in the console
 * (kept in DynamoDB with a version, so two admins cannot overwrite each other silently).
 */
export async function effectiveConfig(store: Store, base: AppConfig): Promise<AppConfig> {
  const overrides = await store.config.getOverrides();
  if (!overrides || Object.keys(overrides.data).length === 0) return base;
  // The store hands back the same overrides object while it caches it: validate each one once, not per request.
  const known = merges.get(overrides);
  if (known && known.base === base) return known.config;
  const merged = AppConfigSchema.safeParse(withOverrides(base, overrides.data));
  // A bad override must not stop the service: fall back to the file and let the admin page show the problem.
  const config = merged.success ? merged.data : base;
  merges.set(overrides, { base, config });
  return config;
}

/**
 * The configuration `overrides` make of `base`: key by key, except the sections admins change a part of (`console`:
 * four eyes, due days, digest hour), merged one level down (and `console.dueDays` step by step), so changing one key
 * of a section keeps the others as the file or an earlier change set them.
 */
export function withOverrides(
  base: Record<string, unknown>,
  overrides: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base, ...overrides };
  if (isObject(overrides.console)) {
    const before = isObject(base.console) ? base.console : {};
    const dueDays = {
      ...(isObject(before.dueDays) ? before.dueDays : {}),
      ...(isObject(overrides.console.dueDays) ? overrides.console.dueDays : {}),
    };
    out.console = { ...before, ...overrides.console, dueDays };
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const merges = new WeakMap<object, { base: AppConfig; config: AppConfig }>();
