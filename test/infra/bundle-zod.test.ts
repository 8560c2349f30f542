import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as zod from 'zod';
import zodFr from 'zod/v4/locales/fr.js';
import { PROJECT_ROOT } from '../../infra/constructs/app-function.js';
import { ZOD_ALIAS } from '../../infra/defaults.js';

/**
 * infra/bundle-zod, the entry every Lambda bundle gets for `zod` (ZOD_ALIAS in infra/defaults.ts): zod's own exports,
 * as the same values, but for the namespaces it leaves out, which no bundled source may use. A zod upgrade that adds
 * an export fails here until the entry re-exports it.
 */
const LEFT_OUT = ['core', 'fromJSONSchema', 'locales'];
const entryDir = path.join(PROJECT_ROOT, ZOD_ALIAS);

describe('the bundles’ zod entry (infra/bundle-zod)', () => {
  it('exports every member of zod but the namespaces it leaves out, as the same values', async () => {
    const entry = (await import(path.join(entryDir, 'index.mjs'))) as Record<string, unknown>;
    const own = new Set(['z', 'default']);
    expect(Object.keys(zod).filter((k) => !(k in entry))).toEqual(LEFT_OUT);
    expect(Object.keys(entry).filter((k) => !(k in zod))).toEqual([]);
    for (const [k, v] of Object.entries(zod)) {
      if (LEFT_OUT.includes(k)) continue;
      if (own.has(k)) {
        // `z` and the default export: the entry's own namespace, with zod's members.
        expect(entry[k], k).toBe((entry as { z: unknown }).z);
        continue;
      }
      expect(entry[k], k).toBe(v);
    }
    // A schema built through the entry is zod's: the same classes, the same French messages once configured.
    const z = entry as unknown as typeof zod;
    expect(z.object({ a: z.string() }).safeParse({ a: 1 }).success).toBe(false);
    expect(z.object({ a: z.string() }) instanceof zod.ZodObject).toBe(true);
  });

  it('resolves the subpaths the sources import, to zod’s own modules', async () => {
    const fr = (await import(path.join(entryDir, 'v4/locales/fr.js'))) as { default: unknown };
    expect(fr.default).toBe(zodFr);
  });

  it('is enough for every bundled source: none uses a left-out namespace or a subpath the entry lacks', () => {
    const used: string[] = [];
    for (const root of ['functions', 'shared', 'bot']) {
      for (const file of readdirSync(path.join(PROJECT_ROOT, root), { recursive: true }) as string[]) {
        if (!/\.(ts|mts|js|mjs)$/.test(file)) continue;
        // Code only: comments may name what is left out (shared/domain/application.ts says why it imports French alone).
        const source = readFileSync(path.join(PROJECT_ROOT, root, file), 'utf8')
          .split('\n')
          .filter((line) => !/^\s*(\/\/|\/?\*)/.test(line))
          .join('\n');
        for (const m of source.matchAll(/\bz\.(core|fromJSONSchema|locales)\b/g))
          used.push(`${root}/${file}: z.${m[1]}`);
        for (const m of source.matchAll(/from '(zod\/[^']+)'/g)) {
          if (!existsSync(path.join(entryDir, m[1]!.slice('zod/'.length)))) used.push(`${root}/${file}: ${m[1]}`);
        }
        for (const m of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from 'zod'/g)) {
          for (const name of m[1]!.split(',').map((n) => n.trim().split(/\s+as\s+/)[0]!)) {
            if (LEFT_OUT.includes(name)) used.push(`${root}/${file}: { ${name} }`);
          }
        }
      }
    }
    expect(used).toEqual([]);
  });
});
