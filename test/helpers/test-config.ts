import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppConfig, DEFAULT_CONFIG, DEFAULT_CONFIG_PATH } from '../../shared/config/config.js';

/**
 * Tests submit many applications from 127.0.0.1 with the example document's e-mail: the submission limits
 * (`submissionLimits`, issue 12) are moved out of their way here. Tests of the limits lower them again (store
 * overrides, or deps with their own `config`).
 */
export const TEST_SUBMISSION_LIMITS = { windowSeconds: 3600, perIp: 1_000_000, perEmail: 1_000_000 };

/**
 * DEFAULT_CONFIG with the test limits (lite harnesses). Everything else is the product's default, the final approval's
 * wait for validated bank details included: harnesses that drive a qualification to the end enter and validate them
 * (test/helpers/bank.ts).
 */
export const TEST_CONFIG: AppConfig = { ...DEFAULT_CONFIG, submissionLimits: TEST_SUBMISSION_LIMITS };

let path: string | null = null;
/** The product's configuration file with the test limits, written once per process (for `startRuntime`'s configPath). */
export function testConfigPath(): string {
  if (path) return path;
  const file = JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, 'utf8')) as Record<string, unknown>;
  const p = join(mkdtempSync(join(tmpdir(), 'aptic-test-config-')), 'aptic-config.json');
  writeFileSync(p, JSON.stringify({ ...file, submissionLimits: TEST_SUBMISSION_LIMITS }));
  path = p;
  return p;
}
