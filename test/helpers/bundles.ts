import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { ENTRY_ASSETS } from '../../functions/routes.js';
import { esbuildOptions } from '../../infra/bundling.js';
import { PROJECT_ROOT } from '../../infra/constructs/app-function.js';
import { FUNCTION_ENVIRONMENT, OPENING_HOURS_LAYER_MODULE } from '../../infra/defaults.js';
import { DEFAULT_CONFIG_FILE } from '../../infra/stack.js';

const exec = promisify(execFile);

export interface LambdaBundle {
  /** The bundle's module (`<dir>/index.mjs`). */
  file: string;
  /** Its size as deployed (minified, without the source map). */
  bytes: number;
  metafile: Metafile;
  /** Whether it can load the opening_hours layer, at first use (resolved here to `layerFile`). */
  importsLayer: boolean;
}

/**
 * Builds a Lambda entry the way the AppFunction construct does (`esbuildOptions()`, the files of ENTRY_ASSETS and the
 * configuration copied beside it) into `dir`, which must be inside the project so that the external `@aws-sdk/*`
 * resolve from node_modules (the Lambda runtime ships them). Lambda mounts the opening_hours layer at /opt; here the
 * bundle's `require` of it is pointed at `layerFile` (a `buildOpeningHoursLayer()` output), by rewriting the one path.
 */
export async function buildLambdaBundle(
  entry: string,
  dir: string,
  layerFile: string,
  /** Changes to the construct's options (the bench builds the chat without the stand-ins, to compare). */
  adjust: (options: BuildOptions) => BuildOptions = (o) => o,
): Promise<LambdaBundle> {
  const file = path.join(dir, 'index.mjs');
  const result = await build({
    ...adjust(esbuildOptions(path.join(PROJECT_ROOT, entry), file)),
    absWorkingDir: PROJECT_ROOT,
    write: false,
  });
  const metafile = result.metafile!;
  const js = result.outputFiles.find((f) => f.path.endsWith('.mjs'));
  if (!js) throw new Error(`${entry}: esbuild wrote no module`);
  // The layer is `require`d by its absolute path at first use (infra/opening-hours-layer/index.mjs): a string that
  // only the bundles that can call the library hold.
  const specifier = JSON.stringify(OPENING_HOURS_LAYER_MODULE);
  const importsLayer = js.text.includes(specifier);
  const text = importsLayer ? js.text.replaceAll(specifier, JSON.stringify(layerFile)) : js.text;
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, text);
  for (const out of result.outputFiles) if (out !== js) writeFileSync(out.path, out.contents);
  for (const c of [
    { from: DEFAULT_CONFIG_FILE, to: path.basename(DEFAULT_CONFIG_FILE) },
    ...(ENTRY_ASSETS[entry] ?? []),
  ])
    cpSync(path.join(PROJECT_ROOT, c.from), path.join(dir, c.to), { recursive: true });
  return { file, bytes: js.contents.byteLength, metafile, importsLayer };
}

/** The heaviest packages of a bundle (node_modules/<pkg>, or the project folder), from esbuild's metafile. */
export function heaviestInputs(meta: Metafile, top = 4): [string, number][] {
  const inputs = Object.entries(meta.outputs).find(([file]) => file.endsWith('.mjs'))?.[1].inputs ?? {};
  const byPackage = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const key = m ? m[1]! : file.split('/').slice(0, 2).join('/');
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
  }
  return [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, top);
}

/**
 * Milliseconds to import `file` in a fresh Node process (what a cold start spends before the handler runs), the
 * median of `runs` processes, with the functions' environment. Measured inside the process around `import()`: Node's
 * own start is left out.
 */
export async function importMs(file: string, runs = 5): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], {
      cwd: path.dirname(file),
      // The functions' own NODE_OPTIONS (source maps on: Node then reads each module's map as it loads it).
      env: { ...FUNCTION_ENVIRONMENT, PATH: process.env.PATH, AWS_REGION: 'eu-west-3', LOG_LEVEL: 'silent' },
    });
    times.push(Number(stdout));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
