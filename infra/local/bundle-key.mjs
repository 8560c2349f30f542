// The cache of the bundled `npm start` (infra/local/server-bundle.ts builds it, infra/local/start.mjs runs it): when
// a bundle is still the one its sources give. Plain JavaScript because start.mjs runs it with plain `node` before
// anything else is loaded (tsx included); its types are in bundle-key.d.mts.
//
// Each bundle's folder holds `inputs.json`, what esbuild read to build it (its metafile): the project files, the
// installed packages (by folder, with their version) and the folders whose listing matters (the stand-ins). The key
// is a SHA-256 of the contents of those files, of those versions and listings, and of the format number below; the
// folder is named after it. A bundle is used only if the key computed now from its inputs is its name: an edit to any
// file it was built from (a source three imports deep, a route module, the knowledge base imported as JSON, a
// stand-in), a package installed in another version or this format changing gives another key, and a new build.
// Data files read at run time (pages, the knowledge base file, the configuration) are not in the bundle and not in
// the key: the bundle reads them where they are.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Bumped when the way bundles are built changes in a way the inputs do not show. */
export const BUNDLE_FORMAT = 1;

/**
 * @param {{ files: string[]; packages: string[]; dirs: string[] }} inputs paths relative to `root`
 * @param {string} root
 */
export function bundleKey(inputs, root) {
  const hash = createHash('sha256');
  hash.update(`format ${BUNDLE_FORMAT}\n`);
  for (const f of inputs.files) {
    hash.update(`file ${f}\n`);
    hash.update(readFileSync(resolve(root, f)));
    hash.update('\n');
  }
  for (const p of inputs.packages) {
    const { version } = JSON.parse(readFileSync(resolve(root, p, 'package.json'), 'utf8'));
    hash.update(`package ${p}@${version}\n`);
  }
  for (const d of inputs.dirs) hash.update(`dir ${d}: ${readdirSync(resolve(root, d)).sort().join(' ')}\n`);
  return hash.digest('hex').slice(0, 32);
}

/**
 * The folder of a bundle of `cacheDir` still up to date (the latest built first), or null. Never throws: a missing,
 * partial or unreadable entry is a miss.
 * @param {string} cacheDir
 * @param {string} root
 */
export function findFreshBundle(cacheDir, root) {
  let names;
  try {
    names = readdirSync(cacheDir).filter((n) => /^[0-9a-f]{32}$/.test(n));
  } catch {
    return null;
  }
  let latest = '';
  try {
    latest = readFileSync(join(cacheDir, 'latest'), 'utf8').trim();
  } catch {
    // none yet
  }
  names.sort((a, b) => (a === latest ? -1 : b === latest ? 1 : 0));
  for (const name of names) {
    try {
      const inputs = JSON.parse(readFileSync(join(cacheDir, name, 'inputs.json'), 'utf8'));
      if (bundleKey(inputs, root) === name) return join(cacheDir, name);
    } catch {
      // an input is gone (a file deleted, another checkout of node_modules): stale
    }
  }
  return null;
}
