import { createHash } from 'node:crypto';
import type { ClassifierStore } from './classifier.js';
import type { Doc } from './documents.js';
import type { Analyser, Analysis, Synonyms } from './normalise.js';

/**
 * The analyses of the knowledge base's phrasings (words and stems of ~10,000 texts: a third of building the matcher),
 * and what the bundle's code derives from them alone (the TF-IDF index of vectors.ts, under a key of its own),
 * kept where the code that made them is kept: the chat's Lambda bundle analyses the file's knowledge base at build
 * time, beside its trained classifier (functions/api/chat.ts, `writeFaqModel`), and its first turn reads them;
 * `npm start` keeps them in its bundle's folder, named by the key of everything the bundle was built from
 * (infra/local/faq-model-cache.ts, `keepFaqAnalyses`).
 *
 * The key hashes the texts and the synonyms only, not the analyser's code: a store must hold analyses made by the very
 * code that reads them (a bundle's), never analyses kept across code changes (nothing from the sources, so none for
 * the tests). A published version of the knowledge base has other texts, so another key: it is analysed.
 */
export type AnalysisStore = ClassifierStore; // the same keyed bytes

let store: AnalysisStore | null = null;

/** Keep the analyses in `next` from now on (null: analyse every time, the default). */
export function setAnalysisStore(next: AnalysisStore | null): void {
  store = next;
}

/** Bumped when the stored form changes. */
const FORMAT = 1;

export function analysisKey(docs: readonly Doc[], synonyms: Synonyms): string {
  const hash = createHash('sha256');
  hash.update(`format ${FORMAT}\n${JSON.stringify(synonyms)}\n`);
  for (const d of docs) hash.update(`${d.text.replaceAll('\n', ' ')}\n`);
  return hash.digest('hex').slice(0, 32);
}

/** One line per document: its words, a tab, its stems (neither holds a space, a tab or a line break). */
export function encodeAnalyses(analysed: readonly Analysis[]): Uint8Array {
  return Buffer.from(analysed.map((a) => `${a.words.join(' ')}\t${a.stems.join(' ')}`).join('\n'), 'utf8');
}

/** null when the bytes are not `count` analyses (then the texts are analysed again). */
export function decodeAnalyses(data: Uint8Array, count: number): Analysis[] | null {
  const lines = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8').split('\n');
  if (lines.length !== count) return null;
  const split = (s: string) => (s ? s.split(' ') : []);
  const out: Analysis[] = [];
  for (const line of lines) {
    const tab = line.indexOf('\t');
    if (tab < 0) return null;
    const words = split(line.slice(0, tab));
    const stems = split(line.slice(tab + 1));
    if (words.length !== stems.length) return null;
    out.push({ words, stems });
  }
  return out;
}

/**
 * What `make` derives from the phrasings, read from the store under `key()` when it holds it and `decode` accepts it,
 * else made and kept (when the store takes it): the analyses below, and the TF-IDF index (vectors.ts).
 */
export function keptOrMade<T>(
  key: () => string,
  make: () => T,
  encode: (value: T) => Uint8Array,
  decode: (data: Uint8Array) => T | null,
): T {
  const k = store ? key() : '';
  const kept = store?.get(k);
  const read = kept ? decode(kept) : null;
  if (read) return read;
  const made = make();
  if (store) {
    try {
      store.set(k, encode(made));
    } catch {
      // not kept: made again next time
    }
  }
  return made;
}

/** Every document's analysis, read from the store when it holds them, else made (and kept when the store takes them). */
export function analyseDocuments(docs: readonly Doc[], synonyms: Synonyms, analyse: Analyser): Analysis[] {
  return keptOrMade(
    () => analysisKey(docs, synonyms),
    () => docs.map((d) => analyse(d.text)),
    encodeAnalyses,
    (data) => decodeAnalyses(data, docs.length),
  );
}
