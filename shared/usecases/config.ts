import { type AppConfig, AppConfigSchema } from '../config/config.js';
import { ValidationError } from '../domain/errors.js';
import type { Store } from '../store/store.js';

/**
 * The configuration in force: the file's values, overridden key by key by what admins changed in the console
 * (kept in DynamoDB with a version, so two admins cannot overwrite each other silently).
 */
export async function effectiveConfig(store: Store, base: AppConfig): Promise<AppConfig> {
  const overrides = await store.getConfigOverrides();
  if (!overrides || Object.keys(overrides.data).length === 0) return base;
  const merged = AppConfigSchema.safeParse({ ...base, ...overrides.data });
  // A bad override must not stop the service: fall back to the file and let the admin page show the problem.
  return merged.success ? merged.data : base;
}

export function validateOverrides(base: AppConfig, data: unknown): Record<string, unknown> {
  const candidate = AppConfigSchema.safeParse({ ...base, ...(data as object) });
  if (!candidate.success) {
    throw new ValidationError(candidate.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  return data as Record<string, unknown>;
}
