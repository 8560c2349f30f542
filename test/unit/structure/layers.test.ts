import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, importGraph, ROOT, sourceFiles } from './imports.js';

/**
 * The layers of docs/modules.md, lowest first: a file may import its own layer or a lower one, never a higher one.
 * `functions/` sits above `bot/` because the chat Lambda is the bot's adapter; the bot never reaches into handlers.
 */
const LAYERS: readonly (readonly [prefix: string, rank: number])[] = [
  ['shared/data/', 0],
  ['shared/domain/', 0],
  ['shared/config/', 0],
  ['shared/store/', 1],
  ['shared/usecases/', 2],
  ['shared/http/', 3],
  ['shared/runtime/', 3],
  ['bot/', 4],
  ['functions/', 5],
  ['infra/', 6],
];

function rank(file: string): number {
  const layer = LAYERS.find(([prefix]) => file.startsWith(prefix));
  if (!layer) throw new Error(`${file} belongs to no layer: add its folder to LAYERS and docs/modules.md`);
  return layer[1];
}

/** The modules allowed to read `process.env`: the runtime's parsed environment and the entry points of a process. */
const ENV_READERS = new Set([
  'shared/runtime/env.ts',
  'shared/runtime/logger.ts',
  'infra/local/env.ts',
  'infra/local/dynamo-process.ts',
  'infra/local/dynamo-child.ts',
]);

describe('structure', () => {
  const graph = importGraph();

  it('every import points to the same layer or a lower one', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) {
        if (!graph.has(target)) continue; // JSON data and assets
        if (rank(target) > rank(file)) upward.push(`${file} → ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('no import circle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('only the runtime and the entry points read process.env', () => {
    const readers = sourceFiles().filter((f) => /\bprocess\.env\b/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(readers.filter((f) => !ENV_READERS.has(f))).toEqual([]);
  });

  it('zod is imported as a namespace, so bundles leave out its locales', () => {
    // `import { z } from 'zod'` keeps the whole `z` object alive, locales included (≈ 300 KB in every Lambda bundle).
    const named = sourceFiles().filter((f) =>
      /import\s*\{[^}]*\bz\b[^}]*\}\s*from\s*'zod'/.test(readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(named).toEqual([]);
  });

  it('a source file over 400 lines says at its top why it is long', () => {
    const unexplained = sourceFiles().filter((f) => {
      const text = readFileSync(join(ROOT, f), 'utf8');
      return (
        text.split('\n').length > 400 &&
        !text
          .split('\n')
          .slice(0, 5)
          .some((l) => l.includes('Over 400 lines'))
      );
    });
    expect(unexplained).toEqual([]);
  });
});
