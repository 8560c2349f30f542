import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { type BuildOptions, buildSync } from 'esbuild';
import { BUNDLING_DEFAULTS, OPENING_HOURS_ALIAS, OPENING_HOURS_LAYER_MODULE } from './defaults.js';

/**
 * Bundling helpers shared by the AppFunction construct, `test/bench/bundles.ts` and the tests, so that what is
 * measured is what is deployed.
 *
 * ## opening_hours: a France-only build, in a layer
 *
 * `opening_hours` (npm, the reference parser of the OSM syntax the national schema uses) weighs 757 KB minified:
 * school and public holidays of 61 countries (426 KB), a cross-locale lexicon of weekday and month names (216 KB),
 * message texts in several languages (47 KB), the parser and suncalc (≈ 70 KB). We only check French places
 * (`shared/domain/opening-hours.ts` always passes country `fr`), so the other countries' holidays are never read; the
 * lexicon, the texts and the parser are (the lexicon is why « lundi-vendredi 09:00-12:00 » is accepted) and stay.
 * Options weighed:
 *
 * - a lighter library: npm has no other implementation of this syntax; the small parsers accept a subset, and the
 *   accepted/rejected inputs and the weekly hours must not change;
 * - France only (what `franceOnlySource` does): the library's own ESM build with one edit, the frozen
 *   `holiday_definitions` namespace reduced to `fr`, after which esbuild drops the unreferenced country objects:
 *   757 → 363 KB, the same answers for a French place (test/infra/opening-hours-layer.test.ts compares it with the
 *   untouched package);
 * - that alone leaves the three functions that call it at ≈ 625 KB: the France-only build (363 KB) is larger than
 *   the whole 300 KB budget by itself, next to the ≈ 240 KB of zod, Powertools and our code. So it ships as one
 *   Lambda layer (mounted at /opt), loaded by absolute path through an esbuild alias (ES modules ignore NODE_PATH).
 *   **A layer moves bytes, it does not remove them**: those functions still load the 363 KB, and
 *   `npm run bench -- bundles` prints it next to their bundle size. What is really saved: the other countries'
 *   data (394 KB per function that calls the library) and one copy per function (one asset for all);
 * - loaded at first use, not at init: the layer is CommonJS and the alias's constructor `require`s it the first time
 *   hours are checked (infra/opening-hours-layer/index.mjs), so a cold start whose request checks no hours (most of
 *   the chat's) does not pay for it; the request that does pays it once, inside its own time.
 */

/** The esbuild API form of BUNDLING_DEFAULTS: the flags NodejsFunction passes to the esbuild CLI, one for one. */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  const d = BUNDLING_DEFAULTS;
  return {
    ...sharedOptions(),
    entryPoints: [entry],
    outfile,
    banner: { js: d.banner },
    define: { ...d.define },
    external: [...d.externalModules],
    alias: aliasesOf(d.esbuildArgs),
    metafile: d.metafile,
    logLevel: 'silent',
  };
}

/** What every esbuild run of the project shares (functions and the layer): target, format, minify, source map. */
function sharedOptions(): BuildOptions {
  const d = BUNDLING_DEFAULTS;
  return {
    bundle: true,
    platform: 'node',
    target: d.target,
    format: 'esm',
    minify: d.minify,
    sourcemap: d.sourceMap,
    sourcesContent: d.sourcesContent,
    mainFields: [...d.mainFields],
  };
}

/** `{ '--alias': ['a=b'] }` (NodejsFunction's esbuildArgs form) → `{ a: 'b' }` (esbuild's API form). */
function aliasesOf(args: Readonly<Record<string, string | boolean | readonly string[]>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(args)) {
    if (key !== '--alias' || typeof value === 'boolean')
      throw new Error(`esbuildArgs ${key}: not mirrored for the API`);
    for (const entry of typeof value === 'string' ? [value] : value) {
      const [name, target] = entry.split('=');
      if (!name || !target) throw new Error(`esbuildArgs --alias: expected name=path, got ${entry}`);
      out[name] = target;
    }
  }
  return out;
}

/** Where the layer is mounted on Lambda; the module's path inside the layer follows from it. */
const LAYER_MOUNT = '/opt/';
if (!OPENING_HOURS_LAYER_MODULE.startsWith(LAYER_MOUNT)) throw new Error('OPENING_HOURS_LAYER_MODULE must be in /opt');
/** The module's path inside the layer's asset folder (`opening-hours/opening_hours.fr.cjs`). */
export const OPENING_HOURS_LAYER_PATH = OPENING_HOURS_LAYER_MODULE.slice(LAYER_MOUNT.length);

/** The installed library: its version and the ESM build its package.json exports. */
export function openingHoursLibrary(): { version: string; dir: string; esm: string } {
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve('opening_hours/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as {
    version: string;
    exports?: { '.'?: { import?: string } };
  };
  const esm = pkg.exports?.['.']?.import;
  if (!esm) throw new Error(`opening_hours ${pkg.version}: no ESM build in package.json exports['.'].import`);
  const dir = path.dirname(pkgFile);
  return { version: pkg.version, dir, esm: path.join(dir, esm) };
}

// The one statement we edit: the frozen namespace of every country's holiday object, as rollup writes it.
const NAMESPACE =
  /^var holiday_definitions = \/\*#__PURE__\*\/Object\.freeze\(\{\n {2}__proto__: null,\n((?: {2}[a-z]{2}: [a-z]{2},?\n)+)\}\);$/gm;

/**
 * The library's ESM build with the holiday namespace reduced to France. Nothing else changes: the country objects
 * stay declared (esbuild drops them as unreferenced), the parser is untouched. Throws when the build no longer has
 * the shape this relies on (one namespace listing `fr`, read only by `holidayDefinitions[countryCode]` lookups), so
 * an upgrade of the library cannot silently change what we ship.
 */
export function franceOnlySource(source: string, version = '?'): string {
  const fail = (why: string): never => {
    throw new Error(`opening_hours ${version}: cannot derive the France-only build: ${why}. See infra/bundling.ts.`);
  };
  const matches = [...source.matchAll(NAMESPACE)];
  if (matches.length !== 1) fail(`expected one holiday_definitions namespace, found ${matches.length}`);
  const countries = matches[0]![1]!.trim().split('\n');
  if (countries.length < 10) fail(`only ${countries.length} countries in the namespace`);
  if (!countries.every((line) => /^([a-z]{2}): \1,?$/.test(line.trim()))) fail('unexpected namespace entries');
  if (!countries.some((line) => line.trim().startsWith('fr: fr'))) fail('no `fr` in the namespace');
  if ((source.match(/^const fr = \{$/gm) ?? []).length !== 1) fail('no single `const fr = {` declaration');
  // The namespace is read through one alias, and only by key: nothing enumerates the countries. (An identifier
  // followed by a letter is prose in a comment; followed by punctuation, it is code.)
  const codeUses = (name: string) => [...source.matchAll(new RegExp(`\\b${name}\\b\\s*([^\\s\\w])`, 'g'))];
  if (codeUses('holiday_definitions').length !== 2) fail('holiday_definitions is used elsewhere');
  if (!source.includes('\nconst holidayDefinitions = holiday_definitions;\n')) fail('no holidayDefinitions alias');
  const reads = codeUses('holidayDefinitions').map((m) => m[1]);
  if (reads.filter((next) => next !== '[').length !== 1) fail('holidayDefinitions is read other than by key');
  return source.replace(
    matches[0]![0],
    'var holiday_definitions = /*#__PURE__*/Object.freeze({\n  __proto__: null,\n  fr: fr\n});',
  );
}

/**
 * Writes the layer's content into `outDir`: `OPENING_HOURS_LAYER_PATH` (+ its source map), the France-only build
 * bundled with its one dependency (suncalc) by esbuild with the functions' own options (target, minify, source map).
 * Synchronous (it runs inside CDK asset bundling). Returns the module's path and minified size.
 */
export function buildOpeningHoursLayer(outDir: string): { file: string; bytes: number; version: string } {
  const shim = readFileSync(path.resolve(import.meta.dirname, '..', OPENING_HOURS_ALIAS), 'utf8');
  if (!shim.includes(`'${OPENING_HOURS_LAYER_MODULE}'`)) {
    throw new Error(`${OPENING_HOURS_ALIAS} must load ${OPENING_HOURS_LAYER_MODULE}`);
  }
  const lib = openingHoursLibrary();
  const contents = franceOnlySource(readFileSync(lib.esm, 'utf8'), lib.version);
  const file = path.join(outDir, OPENING_HOURS_LAYER_PATH);
  const result = buildSync({
    stdin: {
      contents,
      loader: 'js',
      resolveDir: path.dirname(lib.esm),
      sourcefile: `opening_hours-${lib.version}.fr.mjs`,
    },
    ...sharedOptions(),
    // CommonJS: the bundles load it with a synchronous `require` at first use (infra/opening-hours-layer/index.mjs).
    format: 'cjs',
    outfile: file,
    // LGPL-3.0-only: say what this file is and where its source is.
    banner: {
      js: `/*! opening_hours ${lib.version} (LGPL-3.0-only, https://github.com/opening-hours/opening_hours.js), modified: holiday data reduced to France by infra/bundling.ts of aptic-qualification */`,
    },
    metafile: true,
    write: true,
    logLevel: 'silent',
  });
  const out = Object.entries(result.metafile?.outputs ?? {}).find(([f]) => f.endsWith('.cjs'));
  if (!out) throw new Error('opening_hours layer: esbuild wrote no module');
  const imports = out[1].imports.filter((i) => !i.path.startsWith('node:'));
  if (imports.length > 0) throw new Error(`opening_hours layer: unexpected imports ${imports.map((i) => i.path)}`);
  return { file, bytes: out[1].bytes, version: lib.version };
}
