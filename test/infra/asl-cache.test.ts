import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractAsl } from '../../infra/asl.js';
import { aslCacheKey, importClosure, loadAsl } from '../../infra/local/asl-cache.js';

/**
 * The local runtime reads the state machine from a cache instead of building the CDK stack at every start: the cache
 * must give exactly what extractAsl gives, and never outlive a change to the stack's sources.
 */
const root = mkdtempSync(join(tmpdir(), 'aptic-asl-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(base: string, file: string, text: string) {
  mkdirSync(dirname(join(base, file)), { recursive: true });
  writeFileSync(join(base, file), text);
}

describe('ASL cache', () => {
  it('covers the stack, its constructs and what they import, and the CDK packages', () => {
    const { files, packages } = importClosure('infra/asl.ts');
    expect(files).toEqual(
      expect.arrayContaining([
        'infra/asl.ts',
        'infra/stack.ts',
        'infra/constructs/qualification-state-machine.ts',
        'shared/config/config.ts',
        'functions/routes.ts',
      ]),
    );
    expect(files.some((f) => f.startsWith('infra/local/'))).toBe(false);
    expect(packages).toEqual(expect.arrayContaining(['aws-cdk-lib', 'constructs']));
  });

  it('changes its key when a source the stack imports, the configuration or a package version changes', () => {
    // A miniature project: infra/asl.ts → stack.ts → a construct (multi-line import) → shared code.
    const p = join(root, 'project');
    write(p, 'infra/asl.ts', "import { AppticStack } from './stack.js';\nimport type { X } from './types.js';\n");
    write(p, 'infra/types.ts', 'export type X = 1;\n');
    write(
      p,
      'infra/stack.ts',
      "import { Stack } from 'aws-cdk-lib/core';\nimport {\n  Machine,\n} from './constructs/machine.js';\n",
    );
    write(
      p,
      'infra/constructs/machine.ts',
      "import { DAYS } from '../../shared/days.js';\nexport const Machine = 1;\n",
    );
    write(p, 'shared/days.ts', 'export const DAYS = 7;\n');
    write(p, 'shared/unrelated.ts', 'export const U = 1;\n');
    write(p, 'shared/config/aptic-config.json', '{}\n');
    write(p, 'node_modules/aws-cdk-lib/package.json', '{"version":"2.276.0"}\n');

    expect(importClosure('infra/asl.ts', p)).toEqual({
      files: ['infra/asl.ts', 'infra/constructs/machine.ts', 'infra/stack.ts', 'infra/types.ts', 'shared/days.ts'],
      packages: ['aws-cdk-lib'],
    });
    const keys = new Set<string>();
    const key = () => {
      const k = aslCacheKey({}, p);
      keys.add(k);
      return k;
    };
    const first = key();
    write(p, 'shared/unrelated.ts', 'export const U = 2;\n');
    expect(key()).toBe(first); // not imported by the stack: same key

    write(p, 'shared/days.ts', 'export const DAYS = 8;\n'); // three imports deep
    key();
    write(p, 'infra/types.ts', 'export type X = 2;\n');
    key();
    write(p, 'shared/config/aptic-config.json', '{"workflow":{}}\n');
    key();
    write(p, 'node_modules/aws-cdk-lib/package.json', '{"version":"2.277.0"}\n');
    key();
    expect(aslCacheKey({ callbackTimeoutOverride: { timeoutSeconds: 4, heartbeatSeconds: 2 } }, p)).not.toBe(
      aslCacheKey({}, p),
    );
    expect(keys.size).toBe(5);
  });

  it('returns what extractAsl returns, extracted once then read from the cache', async () => {
    const dir = join(root, 'cache');
    const options = { callbackTimeoutOverride: { timeoutSeconds: 6, heartbeatSeconds: 3 } };
    const first = await loadAsl(options, dir);
    expect(first.cached).toBe(false);
    expect(readdirSync(dir)).toEqual([`${aslCacheKey(options)}.json`]);
    const second = await loadAsl(options, dir);
    expect(second.cached).toBe(true);
    const { cached: _a, ...fromCache } = second;
    expect(fromCache).toEqual(extractAsl(options));
  });
});
