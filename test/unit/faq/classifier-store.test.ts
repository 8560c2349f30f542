import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ClassifierStore, decodeClassifier, setClassifierStore } from '../../../bot/faq/classifier.js';
import { loadKnowledgeBase } from '../../../bot/faq/knowledge-base.js';
import { createFaqMatcher } from '../../../bot/faq/matcher.js';

/**
 * `npm start` keeps the trained FAQ classifier between starts (infra/local/faq-model-cache.ts): a matcher built on a
 * stored classifier must answer every question exactly as one built on a freshly trained classifier, and an edit to
 * the knowledge base must not reuse the stored one.
 */
// The file's hand-written phrasings and two merged sets: the property holds for any knowledge base, and training over
// all 10,000 phrasings six times took this file 35 s.
const full = loadKnowledgeBase();
const kb = { ...full, mergedEvaluationSets: full.mergedEvaluationSets?.slice(0, 2) };
const questions = ['eval-set.json', 'heldout-v6.json'].flatMap((f) =>
  (JSON.parse(readFileSync(new URL(f, import.meta.url), 'utf8')) as { items: { question: string }[] }).items.map(
    (i) => i.question,
  ),
);

function memoryStore() {
  const kept = new Map<string, Uint8Array>();
  let hits = 0;
  const store: ClassifierStore = {
    get(key) {
      const data = kept.get(key);
      if (data) hits++;
      return data;
    },
    set(key, data) {
      kept.set(key, data);
    },
  };
  return { store, kept, hits: () => hits };
}

// Each test starts without a store (a fresh matcher trains) and sets its own; the suite's store
// (test/helpers/faq-classifiers.ts) is set again before the next file.
beforeEach(() => setClassifierStore(null));
afterEach(() => setClassifierStore(null));
/** Each test builds two or three matchers (≈ 0.5 s each on a quiet machine; far more on a busy one). */
const SLOW = 120_000;

describe('stored FAQ classifier', () => {
  it(
    'gives the same matches as a freshly trained one',
    () => {
      expect(questions.length).toBeGreaterThan(100);
      const fresh = createFaqMatcher(kb);
      const mem = memoryStore();
      setClassifierStore(mem.store);
      createFaqMatcher(kb); // trains and stores
      expect(mem.kept.size).toBe(1);
      expect(mem.hits()).toBe(0);
      const cached = createFaqMatcher(kb);
      expect(mem.hits()).toBe(1);
      for (const q of questions) expect(cached.match(q), q).toEqual(fresh.match(q));
      for (const q of questions.slice(0, 50)) expect(cached.explain(q), q).toEqual(fresh.explain(q));
    },
    SLOW,
  );

  it(
    'stores the trained weights exactly, and trains again for another knowledge base',
    () => {
      const mem = memoryStore();
      setClassifierStore(mem.store);
      createFaqMatcher(kb);
      const [[key, data]] = [...mem.kept] as [[string, Uint8Array]];
      const decoded = decodeClassifier(data);
      expect(decoded.index.size).toBe(decoded.idf.length);
      expect(decoded.model.W.length).toBe(decoded.idf.length * decoded.model.classes);
      // The same weights from bytes that are not aligned for a view (copied) as from aligned ones (viewed).
      const shifted = new Uint8Array(data.byteLength + 1);
      shifted.set(data, 1);
      const copied = decodeClassifier(shifted.subarray(1));
      expect(copied.model.W).toEqual(decoded.model.W);
      expect(copied.idf).toEqual(decoded.idf);
      expect(copied.model.b).toEqual(decoded.model.b);

      const edited = {
        ...kb,
        topics: kb.topics.map((t, i) =>
          i === 0 ? { ...t, examples: [...t.examples, 'une question de plus sur le kit'] } : t,
        ),
      };
      createFaqMatcher(edited);
      expect(mem.kept.size).toBe(2);
      expect([...mem.kept.keys()]).toContain(key);
      expect(mem.hits()).toBe(0);
    },
    SLOW,
  );

  it(
    'trains again when the stored bytes are unreadable',
    () => {
      const mem = memoryStore();
      setClassifierStore(mem.store);
      createFaqMatcher(kb);
      const [key] = [...mem.kept.keys()] as [string];
      mem.kept.set(key, new Uint8Array([1, 2, 3]));
      const m = createFaqMatcher(kb);
      setClassifierStore(null);
      const fresh = createFaqMatcher(kb);
      for (const q of questions.slice(0, 30)) expect(m.match(q), q).toEqual(fresh.match(q));
    },
    SLOW,
  );
});
