import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile, type Plugin, transform } from 'esbuild';
import { LOCAL_MOUNTED_ENTRIES, ROUTES } from '../../functions/routes.js';
import { type BundleInputs, bundleKey } from './bundle-key.mjs';
import { PROJECT_ROOT } from './paths.js';

/**
 * The bundle `npm start` runs (infra/local/start.mjs): infra/local/main.ts and everything it loads, node_modules
 * included, in one file run by plain `node`. From the sources, a start spent most of its time resolving and
 * compiling ≈ 2,300 modules through tsx (docs/startup.md has the figures); one file skips both. Built by esbuild on a
 * cache miss into `.cache/server/<key>/` (bundle-key.mjs says when a bundle is stale), never used by the tests, which
 * import the sources.
 *
 * - `server.mjs` (main.ts), `dynamo-process.mjs` (dynalite's child) and `asl.mjs` (the CDK stack's extraction,
 *   loaded only on an ASL cache miss) are three entries; infra/local/loading.ts, the one module that loads by a path
 *   known at run time, is replaced by one importing the route modules statically and pointing at those entries.
 * - Packages the local server never runs get the Lambda bundles' stand-ins (infra/bundle-stubs/, one per entry of
 *   UNREACHABLE_PACKAGES in infra/defaults.ts; the folder is read, so that aws-cdk-lib is not loaded to build): the
 *   Bot Framework's channel side and text recognizers, Botkit's web server. Not `ws`: the local chat has websockets.
 * - External: what is not bundled or run here (aws-cdk-lib and its stack's packages, loaded by `asl.mjs`; esbuild;
 *   dynalite, whose storage is a native module, required by the child; tsx).
 * - Paths: project files find their data beside them (`new URL('./knowledge-base.json', import.meta.url)`, pages,
 *   the configuration, CSV files), so each file's `import.meta.url` becomes its own original URL; CommonJS packages
 *   that read `__dirname` get theirs (Botkit).
 */

export const SERVER_CACHE_DIR = join(PROJECT_ROOT, '.cache', 'server');
/** Bundles kept (switching branches back and forth should not rebuild every time). */
const KEEP = 4;
const STUBS = 'infra/bundle-stubs';
/** Stand-ins of infra/bundle-stubs/ that the local server must not get: it serves the chat's websocket. */
const RUN_LOCALLY = new Set(['ws']);
const EXTERNAL = ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag', 'esbuild', 'dynalite', 'tsx', 'tsx/*'];
/** Read when the key is computed but not by esbuild: how the bundle is built. */
const BUILD_FILES = ['infra/local/server-bundle.ts', 'infra/local/bundle-key.mjs'];

/** `@azure/core-auth` ← `azure__core-auth.cjs` (the naming of `unreachableStub` in infra/defaults.ts). */
export function stubAliases(root = PROJECT_ROOT): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const file of readdirSync(join(root, STUBS))) {
    if (!file.endsWith('.cjs') || file === 'unreachable.cjs') continue;
    const base = file.slice(0, -'.cjs'.length);
    const pkg = base.includes('__') ? `@${base.replace('__', '/')}` : base;
    if (!RUN_LOCALLY.has(pkg)) aliases[pkg] = `./${STUBS}/${file}`;
  }
  return aliases;
}

/** infra/local/loading.ts as bundled: the same four functions, without paths computed at run time. */
function bundledLoading(root: string): string {
  const entries = [...new Set(ROUTES.map((r) => r.entry))].filter((e) => !LOCAL_MOUNTED_ENTRIES.has(e));
  const routes = entries.map((e) => `  ${JSON.stringify(e)}: () => import(${JSON.stringify(resolve(root, e))}),`);
  return [
    "import { fileURLToPath } from 'node:url';",
    `const ROUTES = {\n${routes.join('\n')}\n};`,
    'export function importRouteModule(entry) {',
    '  const load = ROUTES[entry];',
    "  if (!load) throw new Error(entry + ': not a route module of this bundle');",
    '  return load();',
    '}',
    // import.meta.url is the bundle's own here (this module is not a file of the project).
    "export const importAslExtraction = () => import(new URL('./asl.mjs', import.meta.url).href);",
    "export const dynamoChildArgs = () => [fileURLToPath(new URL('./dynamo-process.mjs', import.meta.url))];",
    "export const bundleDir = () => fileURLToPath(new URL('.', import.meta.url));",
  ].join('\n');
}

function projectPlugin(root: string): Plugin {
  const loading = resolve(root, 'infra/local/loading.ts');
  const escaped = resolve(root).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return {
    name: 'aptic-local-server',
    setup(b) {
      b.onResolve({ filter: /\/loading\.js$/ }, (args) =>
        resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')) === loading
          ? { path: 'loading', namespace: 'aptic-loading' }
          : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'aptic-loading' }, () => ({
        contents: bundledLoading(root),
        loader: 'js',
        resolveDir: root,
      }));
      // Project files: `import.meta.url` (and dirname, filename) of the file where it is written, not of the bundle.
      b.onLoad({ filter: new RegExp(`^${escaped}/.*\\.[cm]?[jt]s$`) }, async (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta')) return undefined;
        const loader = /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js';
        const { code } = await transform(text, {
          loader,
          format: 'esm',
          sourcefile: args.path,
          define: {
            'import.meta.url': JSON.stringify(pathToFileURL(args.path).href),
            'import.meta.dirname': JSON.stringify(dirname(args.path)),
            'import.meta.filename': JSON.stringify(args.path),
          },
        });
        return { contents: code, loader: 'js' };
      });
      // CommonJS packages: their own `__dirname` (esbuild's ES module output has none).
      b.onLoad({ filter: /\/node_modules\/.*\.c?js$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!/\b__(dirname|filename)\b/.test(text)) return undefined;
        const own = `var __dirname = ${JSON.stringify(dirname(args.path))}, __filename = ${JSON.stringify(args.path)};`;
        return { contents: `${own}\n${text}`, loader: 'js' };
      });
    },
  };
}

/** What the bundle was built from, for its key: the project files and package folders of esbuild's metafile. */
export function inputsOf(metafile: Metafile, root = PROJECT_ROOT): BundleInputs {
  const files = new Set(BUILD_FILES);
  const packages = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    if (input.includes(':')) continue; // a virtual module (namespace:path)
    const pkg = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (pkg) packages.add(relative(root, resolve(root, pkg[1]!)));
    else files.add(relative(root, resolve(root, input)));
  }
  return { files: [...files].sort(), packages: [...packages].sort(), dirs: [STUBS] };
}

export interface BuiltBundle {
  /** The folder holding server.mjs, asl.mjs, dynamo-process.mjs and inputs.json. */
  dir: string;
  key: string;
  ms: number;
}

/** Builds the bundle into `cacheDir/<key>/` and makes it the latest. */
export async function buildServerBundle(cacheDir = SERVER_CACHE_DIR, root = PROJECT_ROOT): Promise<BuiltBundle> {
  const t0 = performance.now();
  mkdirSync(cacheDir, { recursive: true });
  const tmp = join(cacheDir, `tmp-${process.pid}-${Date.now()}`);
  try {
    const result = await build({
      absWorkingDir: root,
      entryPoints: {
        server: 'infra/local/main.ts',
        'dynamo-process': 'infra/local/dynamo-process.ts',
        asl: 'infra/asl.ts',
      },
      outdir: tmp,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      mainFields: ['module', 'main'],
      // CommonJS packages call `require` at run time (node: built-ins, the external packages).
      banner: {
        js: "import { createRequire as __aptic_createRequire } from 'node:module'; const require = __aptic_createRequire(import.meta.url);",
      },
      external: EXTERNAL,
      alias: stubAliases(root),
      plugins: [projectPlugin(root)],
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = inputsOf(result.metafile, root);
    writeFileSync(join(tmp, 'inputs.json'), `${JSON.stringify(inputs, null, 1)}\n`);
    const key = bundleKey(inputs, root);
    const dir = join(cacheDir, key);
    if (existsSync(dir)) rmSync(tmp, { recursive: true, force: true });
    else {
      try {
        renameSync(tmp, dir);
      } catch (err) {
        // Another start built the same key meanwhile: keep its copy.
        if (!existsSync(dir)) throw err;
        rmSync(tmp, { recursive: true, force: true });
      }
    }
    const latest = join(cacheDir, `latest.${process.pid}.tmp`);
    writeFileSync(latest, `${key}\n`);
    renameSync(latest, join(cacheDir, 'latest'));
    prune(cacheDir, key);
    return { dir, key, ms: Math.round(performance.now() - t0) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function prune(cacheDir: string, keep: string): void {
  const entries = readdirSync(cacheDir)
    .filter((n) => /^[0-9a-f]{32}$/.test(n) && n !== keep)
    .map((n) => ({ n, t: statSync(join(cacheDir, n)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { n } of entries.slice(KEEP - 1)) rmSync(join(cacheDir, n), { recursive: true, force: true });
}
