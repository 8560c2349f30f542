import { afterEach, describe, expect, it } from 'vitest';
import {
  analyseDocuments,
  analysisKey,
  decodeAnalyses,
  encodeAnalyses,
  setAnalysisStore,
} from '../../../bot/faq/analysis-store.js';
import { buildDocuments, classIds } from '../../../bot/faq/documents.js';
import { loadKnowledgeBase } from '../../../bot/faq/knowledge-base.js';
import { createFaqMatcher } from '../../../bot/faq/matcher.js';
import { createAnalyser } from '../../../bot/faq/normalise.js';
import { buildTfIdfState, createTfIdfIndex, decodeTfIdf, encodeTfIdf, tfidfKey } from '../../../bot/faq/vectors.js';
import { loadSet } from '../../bench/faq.js';

/**
 * The chat's Lambda reads the analyses of the phrasings made by its own build step (functions/api/chat.ts): what it
 * reads must be what it would have made, and anything else must be analysed again.
 */
const full = loadKnowledgeBase();
const kb = { ...full, mergedEvaluationSets: full.mergedEvaluationSets?.slice(0, 2) };
const docs = buildDocuments(kb);
const analyse = createAnalyser(kb.synonyms);

function memoryStore() {
  const kept = new Map<string, Uint8Array>();
  let reads = 0;
  return {
    kept,
    reads: () => reads,
    store: {
      get(key: string) {
        const data = kept.get(key);
        if (data) reads++;
        return data;
      },
      set(key: string, data: Uint8Array) {
        kept.set(key, data);
      },
    },
  };
}

afterEach(() => setAnalysisStore(null));

describe('stored analyses of the FAQ phrasings', () => {
  it('decode to exactly the analyses they encode, empty ones included', () => {
    const analysed = docs.map((d) => analyse(d.text));
    analysed.push({ words: [], stems: [] });
    expect(decodeAnalyses(encodeAnalyses(analysed), analysed.length)).toEqual(analysed);
  });

  it('are refused when the bytes do not hold one analysis per document', () => {
    const bytes = encodeAnalyses([{ words: ['kit'], stems: ['kit'] }]);
    expect(decodeAnalyses(bytes, 2)).toBeNull();
    expect(decodeAnalyses(Buffer.from('kit'), 1)).toBeNull(); // no tab
    expect(decodeAnalyses(Buffer.from('kit prix\tkit'), 1)).toBeNull(); // words and stems differ in number
  });

  it('are kept under a key of the texts and synonyms, read back, and made again for other texts', () => {
    const mem = memoryStore();
    setAnalysisStore(mem.store);
    const made = analyseDocuments(docs, kb.synonyms, analyse);
    expect([...mem.kept.keys()]).toEqual([analysisKey(docs, kb.synonyms)]);
    expect(analyseDocuments(docs, kb.synonyms, analyse)).toEqual(made);
    expect(mem.reads()).toBe(1);
    const edited = [...docs, { id: docs.length, topic: 'cost-kit', text: 'une question de plus sur le kit' }];
    analyseDocuments(edited, kb.synonyms, analyse);
    expect(mem.kept.size).toBe(2);
    analyseDocuments(docs, { ...kb.synonyms, scanner: ['douchette', 'pistolet'] }, analyse);
    expect(mem.kept.size).toBe(3);
    expect(mem.reads()).toBe(1);
  });

  it('analyses again when the stored bytes are unreadable', () => {
    const mem = memoryStore();
    setAnalysisStore(mem.store);
    const made = analyseDocuments(docs, kb.synonyms, analyse);
    mem.kept.set(analysisKey(docs, kb.synonyms), Buffer.from('abîmé'));
    expect(analyseDocuments(docs, kb.synonyms, analyse)).toEqual(made);
  });

  it('give a matcher that answers exactly as one that analysed the phrasings itself', () => {
    const fresh = createFaqMatcher(kb);
    const mem = memoryStore();
    setAnalysisStore(mem.store);
    createFaqMatcher(kb); // analyses, builds the TF-IDF index, and stores both
    const stored = createFaqMatcher(kb);
    expect([...mem.kept.keys()].sort()).toEqual([analysisKey(docs, kb.synonyms), expect.stringMatching(/^tfidf-/)]);
    expect(mem.reads()).toBe(2);
    for (const { question } of loadSet('heldout-v6'))
      expect(stored.match(question), question).toEqual(fresh.match(question));
  });
});

describe('the stored TF-IDF index of the FAQ phrasings', () => {
  const analysed = docs.map((d) => analyse(d.text));
  const docTopic = docs.map((d) => d.topic);
  const classes = classIds(kb);
  const state = buildTfIdfState(analysed, docTopic, classes);

  it('decodes to exactly the index it encodes, from aligned bytes (views) or not (copies)', () => {
    const bytes = encodeTfIdf(state);
    expect(decodeTfIdf(bytes, analysed.length, classes.length)).toEqual(state);
    const shifted = new Uint8Array(bytes.byteLength + 1);
    shifted.set(bytes, 1);
    expect(decodeTfIdf(shifted.subarray(1), analysed.length, classes.length)).toEqual(state);
  });

  it('is refused when the bytes are not an index of these documents and classes', () => {
    const bytes = encodeTfIdf(state);
    expect(decodeTfIdf(bytes, analysed.length + 1, classes.length)).toBeNull();
    expect(decodeTfIdf(bytes, analysed.length, 1)).toBeNull(); // a document's class out of range
    expect(decodeTfIdf(bytes.subarray(0, bytes.length - 4), analysed.length, classes.length)).toBeNull();
    expect(decodeTfIdf(Buffer.from('abîmé'), analysed.length, classes.length)).toBeNull();
  });

  it('is kept under a key of the analyses, topics and classes, and built again when they change or it is unreadable', () => {
    const mem = memoryStore();
    setAnalysisStore(mem.store);
    const q = analyse('combien coûte le kit par an');
    const built = createTfIdfIndex(analysed, docTopic, classes);
    const key = tfidfKey(analysed, docTopic, classes);
    expect([...mem.kept.keys()]).toEqual([key]);
    const read = createTfIdfIndex(analysed, docTopic, classes);
    expect(mem.reads()).toBe(1);
    const v = built.vector(q.words, q.stems);
    expect(read.vector(q.words, q.stems)).toEqual(v);
    expect(read.maxCosines(v)).toEqual(built.maxCosines(v));
    expect([...read.centroidCosines(v)]).toEqual([...built.centroidCosines(v)]);
    expect(tfidfKey(analysed, docTopic.toReversed(), classes)).not.toBe(key);
    expect(tfidfKey(analysed.slice(1), docTopic.slice(1), classes)).not.toBe(key);
    mem.kept.set(key, Buffer.from('abîmé'));
    expect(createTfIdfIndex(analysed, docTopic, classes).maxCosines(v)).toEqual(built.maxCosines(v));
    expect(decodeTfIdf(mem.kept.get(key)!, analysed.length, classes.length)).toEqual(state); // built and kept again
  });
});
