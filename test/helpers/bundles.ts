import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { ENTRY_ASSETS, ENTRY_BUILD_STEPS } from '../../functions/routes.js';
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
  // As the AppFunction construct does after bundling: the bundle's own build steps (the chat's FAQ model).
  for (const st of ENTRY_BUILD_STEPS[entry] ?? []) {
    // A fresh folder, as CDK's asset output is: the bench rebuilds into the same `dir`, and a model or analysis of an
    // earlier build (another key) must not ship beside this one.
    rmSync(path.join(dir, st.to), { recursive: true, force: true });
    await exec(process.execPath, [
      '--input-type=module',
      '-e',
      'const [, file, fn, dir] = process.argv; await (await import(file))[fn](dir)',
      pathToFileURL(file).href,
      st.run,
      path.join(dir, st.to),
    ]);
  }
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
  return (await importMsAlternated([file], runs))[0]!;
}

/**
 * `importMs` of several bundles, their runs alternated (a, b, a, b…) so that a change in the machine's load weighs
 * on each alike: what comparisons between bundles should use on a shared machine. Medians, in the order given.
 */
export async function importMsAlternated(files: string[], runs = 5): Promise<number[]> {
  const times = files.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    for (const [k, file] of files.entries()) {
      const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
      const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], {
        cwd: path.dirname(file),
        // The functions' own NODE_OPTIONS (source maps on: Node then reads each module's map as it loads it).
        env: { ...FUNCTION_ENVIRONMENT, PATH: process.env.PATH, AWS_REGION: 'eu-west-3', LOG_LEVEL: 'silent' },
      });
      times[k]!.push(Number(stdout));
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!);
}

export interface FirstTurn {
  /** ms to import the bundle (as `importMs`). */
  importMs: number;
  /** ms from the start of the import to the answer of the first FAQ turn (what the first actor after a cold start waits). */
  firstTurnMs: number;
}

/**
 * The chat's first turn after a cold start, in a fresh Node process with the functions' environment pointed at
 * dynalite: import the bundle, then through its handler (HTTP API v2 events) open a session (which builds the chat
 * service: the FAQ matcher, the dialogs) and ask one FAQ question. Median of `runs` processes for each figure. Throws
 * if a turn does not answer 200 with a reply, so a broken bundle cannot pass for a fast one.
 */
export async function firstTurnMs(
  file: string,
  db: { tableName: string; endpoint: string },
  question: string,
  runs = 5,
): Promise<FirstTurn> {
  const script = `const t = performance.now();
const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)});
const imported = performance.now() - t;
let token;
const send = async (path, body) => {
  const res = await handler({
    version: '2.0', routeKey: 'POST ' + path, rawPath: path, rawQueryString: '',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer ' + token } : {}) },
    requestContext: { http: { method: 'POST', path, sourceIp: '203.0.113.9' } },
    body: JSON.stringify(body), isBase64Encoded: false,
  }, {});
  if (res.statusCode !== 200) throw new Error(path + ': ' + res.statusCode + ' ' + res.body);
  return JSON.parse(res.body);
};
token = (await send('/api/chat/session', {})).token;
const replies = await send('/api/messages', { type: 'message', text: ${JSON.stringify(question)} });
if (!Array.isArray(replies) || replies.length === 0) throw new Error('no reply to the FAQ question');
process.stdout.write(JSON.stringify({ imported, turn: performance.now() - t }));`;
  const imports: number[] = [];
  const turns: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], {
      cwd: path.dirname(file),
      env: {
        ...FUNCTION_ENVIRONMENT,
        PATH: process.env.PATH,
        TABLE_NAME: db.tableName,
        DYNAMODB_ENDPOINT: db.endpoint,
        AWS_REGION: 'local',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        LOG_LEVEL: 'silent',
      },
    });
    const r = JSON.parse(stdout) as { imported: number; turn: number };
    imports.push(r.imported);
    turns.push(r.turn);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { importMs: median(imports), firstTurnMs: median(turns) };
}
