import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCHEMA_URL } from '../../shared/domain/national-schema.js';
import { besideCheckout, HANDBOOK_FILES, handbookPath } from '../helpers/handbook.js';

// Every copy of an outside file that the repository keeps, with the file it copies in the team's folder.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COPIES: [inRepo: string, outside: string][] = [
  ...HANDBOOK_FILES.map((f): [string, string] => [relative(ROOT, handbookPath(f)), f]),
  [relative(ROOT, fileURLToPath(SCHEMA_URL)), 'data/lieux-mediation-numerique.schema.json'],
];

describe('copies of the handbook', () => {
  it.each(COPIES)('%s is readable in the repository', (inRepo) => {
    expect(readFileSync(join(ROOT, inRepo)).length).toBeGreaterThan(1000);
  });

  // The one conditional check, reported as skipped in a clone without ../shared (nothing to compare with); every
  // test that reads these files reads the copies above and runs in any clone.
  it.skipIf(besideCheckout('.') === null).each(COPIES)('%s is byte-identical to ../shared/%s', (inRepo, outside) => {
    const there = besideCheckout(outside);
    expect(there, `../shared/${outside} is missing`).not.toBeNull();
    expect(readFileSync(join(ROOT, inRepo)).equals(readFileSync(there!)), `${inRepo} differs from ${there}`).toBe(true);
  });
});
