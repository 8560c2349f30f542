import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setAnalysisStore } from '../../bot/faq/analysis-store.js';
import { type ClassifierStore, setClassifierStore } from '../../bot/faq/classifier.js';
import { PROJECT_ROOT } from './paths.js';

/**
 * The FAQ classifier of `npm start`, trained once and then read from `.cache/faq/<key>.bin`: training it was
 * ≈ 15–20 % of a start (docs/startup.md). The key (bot/faq/classifier.ts, `classifierKey`) hashes what the training
 * reads, so an edited knowledge base, a tuned weight or a change to the classifier's code trains again; the stored
 * model is the trained one, byte for byte (test/unit/faq/classifier-store.test.ts checks the answers are the same).
 */
export const FAQ_CACHE_DIR = join(PROJECT_ROOT, '.cache', 'faq');
/** Models kept: the published knowledge base and the file's, a few branches. */
const KEEP = 8;

export function fileClassifierStore(dir = FAQ_CACHE_DIR): ClassifierStore {
  return fileStore(dir, 'bin');
}

/** `<key>.<ext>` files in `dir`, the `KEEP` newest kept; written whole or not at all. */
function fileStore(dir: string, ext: string): ClassifierStore {
  return {
    get(key) {
      try {
        return readFileSync(join(dir, `${key}.${ext}`));
      } catch {
        return undefined;
      }
    },
    set(key, data) {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${key}.${ext}`);
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, data);
      renameSync(tmp, file); // a concurrent start reads the whole file or none
      const entries = readdirSync(dir)
        .filter((f) => f.endsWith(`.${ext}`))
        .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
        .sort((a, b) => b.t - a.t);
      for (const { f } of entries.slice(KEEP)) rmSync(join(dir, f), { force: true });
    },
  };
}

/** From now on, this process keeps its trained FAQ classifiers in `dir`. */
export function keepFaqClassifiers(dir = FAQ_CACHE_DIR): void {
  setClassifierStore(fileClassifierStore(dir));
}

/**
 * From now on, this process keeps the analyses of the FAQ phrasings in `dir`, which must be beside the running bundle
 * (infra/local/loading.ts `bundleDir`): their key does not hash the analyser's code, the bundle's folder does
 * (bot/faq/analysis-store.ts). About a third of building the chat's FAQ matcher at each start.
 */
export function keepFaqAnalyses(dir: string): void {
  setAnalysisStore(fileStore(dir, 'analysis'));
}
