// `npm start`: runs infra/local/main.ts from its bundle, built by esbuild on the first start and after any change to
// what it is built from (infra/local/server-bundle.ts; the key: bundle-key.mjs), kept in `.cache/server/`. Plain
// JavaScript run by plain `node`: on a cache hit neither tsx nor esbuild is loaded. If the bundle cannot be built,
// the server starts from its TypeScript sources as before (one line says so).
import module from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findFreshBundle } from './bundle-key.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cacheDir = join(root, '.cache', 'server');
let dir = findFreshBundle(cacheDir, root);
if (!dir) {
  try {
    const { tsImport } = await import('tsx/esm/api');
    const { buildServerBundle } = await tsImport('./server-bundle.ts', import.meta.url);
    const built = await buildServerBundle(cacheDir, root);
    dir = built.dir;
    console.log(`Bundle de démarrage construit en ${(built.ms / 1000).toFixed(1)} s (.cache/server/${built.key})`);
  } catch (err) {
    // esbuild's errors carry their place; the message's first line alone says « Build failed with 1 error ».
    const first = err?.errors?.[0];
    const why = first
      ? `${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}`
      : String(err?.message ?? err).split('\n')[0];
    console.error(`Bundle de démarrage impossible (${why}) : démarrage depuis les sources.`);
  }
}
if (dir) {
  // Node ≥ 22.1 keeps V8's compiled code of the bundle between starts too (Node 20 has no such cache: skipped).
  try {
    module.enableCompileCache?.(join(root, '.cache', 'v8'));
  } catch {
    // not available: compiled at every start
  }
  await import(pathToFileURL(join(dir, 'server.mjs')).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./main.ts');
}
