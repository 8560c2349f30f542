import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { buildOpeningHoursLayer, esbuildOptions } from '../../infra/bundling.js';
import { PROJECT_ROOT } from '../../infra/constructs/app-function.js';
import { OPENING_HOURS_LAYER_MODULE } from '../../infra/defaults.js';
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

/** Whether a bundle imports the opening_hours layer's module (an external import, loaded from /opt at init). */
export function importsOpeningHoursLayer(meta: Metafile): boolean {
  return Object.values(meta.outputs).some((o) => o.imports.some((i) => i.path === OPENING_HOURS_LAYER_MODULE));
}

/**
 * Bundles every Lambda entry the way the AppFunction construct does (`esbuildOptions()`: the same BUNDLING_DEFAULTS,
 * so esbuild, ESM, minify, source map, node22, `@aws-sdk/*` external because the Node 22 Lambda runtime ships the AWS
 * SDK v3, `opening_hours` from its layer) and reports the minified size of each, against a 300 KB budget. A bundle
 * that imports the opening_hours layer is shown with the layer's size and the total it loads at init: the layer
 * moves those bytes out of the bundle, it does not remove them. Returns the printed lines.
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
  const layer = buildOpeningHoursLayer(path.join(PROJECT_ROOT, 'cdk.out', 'bench', '.opening-hours-layer'));
  log(`Lambda bundles (esbuild, minified, @aws-sdk/* external; budget ${kb(BUNDLE_BUDGET_BYTES)})`);
  log(
    `Layer: opening_hours ${layer.version} France-only build, ${kb(layer.bytes)}, outside the bundles but NOT outside ` +
      `the code: "+ layer" bundles load it at init (a layer moves bytes, it does not remove them)`,
  );
  let over = 0;
  let overWithLayer = 0;
  for (const [name, entry] of entries) {
    const t0 = performance.now();
    const result = await build({
      ...esbuildOptions(path.join(PROJECT_ROOT, entry), path.join(PROJECT_ROOT, 'cdk.out', 'bench', name, 'index.mjs')),
      absWorkingDir: PROJECT_ROOT,
      write: false,
    });
    const js = result.outputFiles.find((f) => f.path.endsWith('.mjs'));
    const size = js?.contents.byteLength ?? 0;
    const ok = size <= BUNDLE_BUDGET_BYTES;
    if (!ok) over++;
    const withLayer = result.metafile && importsOpeningHoursLayer(result.metafile);
    if (ok && withLayer && size + layer.bytes > BUNDLE_BUDGET_BYTES) overWithLayer++;
    const ms = Math.round(performance.now() - t0);
    const extra = withLayer ? ` + layer ${kb(layer.bytes)} = ${kb(size + layer.bytes)} at init` : '';
    log(
      `${ok ? 'ok  ' : 'OVER'} ${name.padEnd(20)} ${kb(size).padStart(10)}${extra}  ${String(ms).padStart(5)} ms  ${entry}  [${heaviest(result.metafile!)}]`,
    );
  }
  log(
    `${entries.length - over}/${entries.length} bundles within budget; ${overWithLayer} of them only because ` +
      `opening_hours is in the layer (bundle + layer > budget)`,
  );
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchBundles();
}
