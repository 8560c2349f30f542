import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { createClassBm25 } from '../../../bot/faq/bm25.js';
import { buildDocuments, classIds } from '../../../bot/faq/documents.js';
import { loadKnowledgeBase } from '../../../bot/faq/knowledge-base.js';
import { createAnalyser } from '../../../bot/faq/normalise.js';

/**
 * bm25.ts claims MiniSearch's scores exactly (the ranking's weights were tuned on them): MiniSearch itself, configured
 * as the ranking used it, is the oracle.
 */
function oracle(docTerms: string[][], docClass: number[], nClasses: number) {
  const ms = new MiniSearch<{ id: number; c: number; text: string }>({
    fields: ['text'],
    storeFields: ['c'],
    tokenize: (s) => s.split(' ').filter(Boolean),
    processTerm: (t) => t,
    searchOptions: {
      fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
      prefix: (term) => term.length >= 5,
      weights: { fuzzy: 0.6, prefix: 0.7 },
    },
  });
  ms.addAll(docTerms.map((t, id) => ({ id, c: docClass[id]!, text: t.join(' ') })));
  return (query: string[]) => {
    const best = new Float64Array(nClasses);
    for (const r of ms.search(query.join(' '))) {
      const c = r.c as number;
      if (c >= 0 && r.score > best[c]!) best[c] = r.score;
    }
    return best;
  };
}

describe('class BM25 (MiniSearch scoring without result objects)', () => {
  it('gives every class the same best score as MiniSearch: exact, prefix and fuzzy matches, repeated terms', () => {
    const docs = [
      ['pass', 'aptic', 'fonctionn'],
      ['qualif', 'acteur', 'aptic', 'aptic'],
      ['contrepaiement', 'delai', 'virement'],
      ['cartograph', 'carte', 'lieu'],
      ['kit', 'abonnement', 'prix', 'annuel'],
      [],
      ['abonnements', 'kit', 'kit'],
      ['remboursement', 'pass', 'perdu'],
    ];
    const classes = [0, 1, 2, 3, 4, 4, 4, -1];
    const ours = createClassBm25(docs, Int32Array.from(classes), 5);
    const theirs = oracle(docs, classes, 5);
    for (const q of [
      ['aptic'],
      ['abonnement'], // exact in one phrasing, prefix of another
      ['abonemment', 'kit'], // fuzzy
      ['cartographie'], // the phrasing holds a prefix of it: no match (prefix goes the other way)
      ['cartograph', 'cartograph', 'lieu'], // a repeated term
      ['remboursemnt', 'pass'],
      ['rien'],
      [],
    ]) {
      expect([...ours.best(q)], q.join(' ')).toEqual([...theirs(q)]);
    }
  });

  it('is MiniSearch on the knowledge base, for a sample of its own phrasings as questions', () => {
    const kb = loadKnowledgeBase();
    const analyse = createAnalyser(kb.synonyms);
    const docs = buildDocuments(kb);
    const terms = docs.map((d) => analyse(d.text).stems.filter(Boolean));
    const index = new Map(classIds(kb).map((id, i) => [id, i]));
    const docClass = docs.map((d) => index.get(d.topic) ?? -1);
    const ours = createClassBm25(terms, Int32Array.from(docClass), index.size);
    const theirs = oracle(terms, docClass, index.size);
    for (let i = 0; i < docs.length; i += 97) {
      // a phrasing with a typo in its longest term exercises the fuzzy path too
      const q = [...terms[i]!];
      const longest = q.reduce((a, t, j) => (t.length > q[a]!.length ? j : a), 0);
      if (q.length > 0) q.push(`${q[longest]!.slice(0, -2)}x`);
      expect([...ours.best(q)], docs[i]!.text).toEqual([...theirs(q)]);
    }
  });
});
