import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { ExtractAslOptions, ExtractedAsl } from '../asl.js';
import { importAslExtraction } from './loading.js';
import { PROJECT_ROOT } from './paths.js';
import { validateDefinition } from './sfn/shim.js';

/**
 * The state machine of the local runtime is still the one synthesized from the CDK stack (infra/asl.ts), but the
 * extraction (loading aws-cdk-lib and building the stack: 2–4 s, most of `npm start`) runs only when its inputs
 * change. Its result is kept in `.cache/asl/<key>.json`, where the key hashes everything the extraction depends on:
 *
 * - the source of every project file in the static import graph of infra/asl.ts (the stack, its constructs,
 *   functions/routes.ts, the configuration schema, the table definition…), found by following relative imports;
 * - the files the stack reads while it is built: the default configuration, and the one named in the options;
 * - the installed version of every package that graph imports (aws-cdk-lib, constructs, …);
 * - the extraction options, the version of this cache format, and that of the validator (below).
 *
 * Only valid definitions are stored: a definition is validated (asl-validator, through aws-local-stepfunctions) when it
 * is extracted, so the engine need not validate one again at every start (`validated` of LocalStepFunctions).
 *
 * Any edit to one of those files gives a new key, so a stale definition is never used; hashing them costs a few
 * milliseconds. A cache that cannot be written (read-only checkout) only costs the extraction at every start.
 */
const CACHE_FORMAT = 2;
const ENTRY = 'infra/asl.ts';
/** Read by the stack at build time rather than imported (loadConfig's default file). */
const READ_AT_BUILD = ['shared/config/aptic-config.json'];
/** Its validator: a definition valid for one version may not be for the next. */
const VALIDATOR = 'aws-local-stepfunctions';
/** Keys kept: tests use a few option sets (shortened timeouts), and switching branches should not re-extract. */
const KEEP = 20;

export const ASL_CACHE_DIR = join(PROJECT_ROOT, '.cache', 'asl');

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s+(?:[^'"`;]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Project files (relative to the root) and packages the module `entry` reaches through its imports. */
export function importClosure(entry: string, root = PROJECT_ROOT): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [resolve(root, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    const rel = relative(root, file);
    if (files.has(rel)) continue;
    files.add(rel);
    if (!/\.[cm]?[jt]s$/.test(file)) continue; // JSON and other data: hashed, not parsed
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('node:')) continue;
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        // NodeNext: `./x.js` names the TypeScript source `./x.ts`.
        const ts = target.replace(/\.js$/, '.ts');
        queue.push(existsSync(ts) ? ts : target);
      } else {
        const parts = spec.split('/');
        packages.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
      }
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}

function packageVersion(name: string, root: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '?';
  } catch {
    return 'builtin-or-missing';
  }
}

export function aslCacheKey(options: ExtractAslOptions = {}, root = PROJECT_ROOT): string {
  const hash = createHash('sha256');
  hash.update(`format ${CACHE_FORMAT}\noptions ${JSON.stringify(options)}\n`);
  const { files, packages } = importClosure(ENTRY, root);
  const read = [...READ_AT_BUILD, ...(options.configPath ? [options.configPath] : [])];
  for (const f of [...files, ...read]) {
    hash.update(`file ${f}\n`);
    hash.update(readFileSync(resolve(root, f)));
    hash.update('\n');
  }
  for (const p of [...packages, VALIDATOR]) hash.update(`package ${p}@${packageVersion(p, root)}\n`);
  return hash.digest('hex').slice(0, 32);
}

export interface LoadedAsl extends ExtractedAsl {
  /** true when read from the cache, false when extracted from the stack on this call. */
  readonly cached: boolean;
}

/**
 * `extractAsl(options)`, from the cache when its inputs have not changed since the last extraction. The definition is
 * valid (validated when extracted; throws when it is not).
 */
export async function loadAsl(options: ExtractAslOptions = {}, cacheDir = ASL_CACHE_DIR): Promise<LoadedAsl> {
  const file = join(cacheDir, `${aslCacheKey(options)}.json`);
  try {
    return { ...(JSON.parse(readFileSync(file, 'utf8')) as ExtractedAsl), cached: true };
  } catch {
    // missing (or unreadable: rebuilt below)
  }
  // aws-cdk-lib is loaded only here.
  const { extractAsl } = await importAslExtraction();
  const asl = extractAsl(options);
  validateDefinition(asl.definition);
  try {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(asl));
    renameSync(tmp, file); // atomic: a concurrent start reads the old file or the new one, never half of one
    prune(cacheDir);
  } catch {
    // not writable: extract again next time
  }
  return { ...asl, cached: false };
}

function prune(dir: string): void {
  const entries = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { f } of entries.slice(KEEP)) rmSync(join(dir, f), { force: true });
}
