import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { PROJECT_ROOT } from '../../infra/constructs/app-function.js';
import { BUNDLING_DEFAULTS } from '../../infra/defaults.js';
import { apiFunctions, REMINDER_ENTRY, WORKFLOW_ENTRIES } from '../../infra/stack.js';

/** Goal per function (minified, without the source map). */
export const BUNDLE_BUDGET_BYTES = 300 * 1024;

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** The heaviest packages of a bundle (node_modules/<pkg>, or the project folder), from esbuild's metafile. */
function heaviest(meta: Metafile, top = 4): string {
  const inputs = Object.entries(meta.outputs).find(([file]) => file.endsWith('.mjs'))?.[1].inputs ?? {};
  const byPackage = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const key = m ? m[1]! : file.split('/').slice(0, 2).join('/');
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
  }
  return [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([p, n]) => `${p} ${kb(n)}`)
    .join(', ');
}

/**
 * Bundles every Lambda entry the way the AppFunction construct does (esbuild, ESM, minify, source map, node22,
 * `@aws-sdk/*` external because the Node 22 Lambda runtime ships the AWS SDK v3 — NodejsFunction's own default for
 * Node ≥ 18) and reports the minified size of each, against a 300 KB budget. Returns the printed lines.
 */
export async function benchBundles(): Promise<string[]> {
  const entries: [string, string][] = [
    ...Object.entries(WORKFLOW_ENTRIES),
    ['remind', REMINDER_ENTRY],
    ...[...apiFunctions()].map(([name, f]): [string, string] => [name, f.entry]),
  ];
  const lines: string[] = [];
  const log = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  log(`Lambda bundles (esbuild, minified, @aws-sdk/* external; budget ${kb(BUNDLE_BUDGET_BYTES)})`);
  let over = 0;
  for (const [name, entry] of entries) {
    const t0 = performance.now();
    const result = await build({
      absWorkingDir: PROJECT_ROOT,
      entryPoints: [path.join(PROJECT_ROOT, entry)],
      outfile: path.join(PROJECT_ROOT, 'cdk.out', 'bench', name, 'index.mjs'),
      bundle: true,
      write: false,
      platform: 'node',
      target: BUNDLING_DEFAULTS.target,
      format: 'esm',
      minify: BUNDLING_DEFAULTS.minify,
      sourcemap: BUNDLING_DEFAULTS.sourceMap,
      sourcesContent: BUNDLING_DEFAULTS.sourcesContent,
      mainFields: [...BUNDLING_DEFAULTS.mainFields],
      banner: { js: BUNDLING_DEFAULTS.banner },
      external: [...BUNDLING_DEFAULTS.externalModules],
      metafile: BUNDLING_DEFAULTS.metafile,
      logLevel: 'silent',
    });
    const js = result.outputFiles.find((f) => f.path.endsWith('.mjs'));
    const size = js?.contents.byteLength ?? 0;
    const ok = size <= BUNDLE_BUDGET_BYTES;
    if (!ok) over++;
    const ms = Math.round(performance.now() - t0);
    log(
      `${ok ? 'ok  ' : 'OVER'} ${name.padEnd(20)} ${kb(size).padStart(10)}  ${String(ms).padStart(5)} ms  ${entry}  [${heaviest(result.metafile)}]`,
    );
  }
  log(`${entries.length - over}/${entries.length} within budget`);
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchBundles();
}
