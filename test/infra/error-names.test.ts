import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../infra/bundling.js';
import { TRANSIENT_ERRORS } from '../../infra/defaults.js';

/**
 * A Lambda reports `err.name` as its error type, and Step Functions' Retry / Catch match that name. The bundles are
 * minified, which renames classes: a name derived from the constructor (`new.target.name`) would come out as `t`.
 * Built here with the functions' own esbuild options, every error class keeps its name.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'aptic-error-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MODULES = [
  'shared/domain/errors.ts',
  'shared/store/errors.ts',
  'shared/usecases/errors.ts',
  'shared/usecases/console/errors.ts',
  'functions/workflow/events.ts',
];

describe('error names in a minified bundle', () => {
  it('are the class names, the ones the state machine retries on included', async () => {
    const entry = path.join(dir, 'entry.ts');
    writeFileSync(
      entry,
      [
        ...MODULES.map((m, i) => `import * as m${i} from ${JSON.stringify(path.join(ROOT, m))};`),
        `const all = { ${MODULES.map((_, i) => `...m${i}`).join(', ')} };`,
        // Constructors take data only: placeholders are enough to read the name (ConfigError wants an array).
        'export const names = Object.entries(all)',
        '  .filter(([, v]) => typeof v === "function" && v.prototype instanceof Error)',
        '  .map(([exported, C]) => [exported, Reflect.construct(C, ["x", []]).name]);',
      ].join('\n'),
    );
    const outfile = path.join(dir, 'out.mjs');
    await build({ ...esbuildOptions(entry, outfile), sourcemap: false });
    const { names } = (await import(pathToFileURL(outfile).href)) as { names: [string, string][] };
    expect(names.length).toBeGreaterThan(20);
    for (const [exported, name] of names) expect(name, exported).toBe(exported);
    const bundled = new Set(names.map(([, name]) => name));
    for (const retried of TRANSIENT_ERRORS.filter((e) => !e.startsWith('Lambda.'))) {
      expect(bundled.has(retried), retried).toBe(true);
    }
  });
});
