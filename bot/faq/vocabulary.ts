import { type Doc, OFF_TOPIC } from './documents.js';
import type { KnowledgeBase } from './knowledge-base.js';
import type { Analyser, Analysis } from './normalise.js';
import { deletions } from './spelling.js';

/**
 * The domain vocabulary, read from the knowledge base: how much of the scheme's vocabulary a question carries
 * (`evidence`, the `evidence` and `coverage` features of confidence.ts), and whether it names another scheme or a
 * personal technical problem (`isForeign`, from `declineSignals` and `anchors`).
 */

export interface Evidence {
  /** 1 per keyword stem, 0.35 per other known stem, less for near-misses and words of the off-topic examples */
  value: number;
  /** number of distinct known stems (near-misses included) */
  known: number;
}

export interface Vocabulary {
  evidence(stems: readonly string[]): Evidence;
  /** a `declineSignals` phrase and no `anchors` word */
  isForeign(stems: readonly string[]): boolean;
}

/** The deletion index of the words of 5+ letters: shorter words have too many neighbours within ~2 edits. */
function deletionIndex(words: Iterable<string>): Set<string> {
  const index = new Set<string>();
  for (const w of words) if (w.length >= 5) for (const d of deletions(w)) index.add(d);
  return index;
}

const nearVocabulary = (s: string, index: Set<string>) => s.length >= 5 && deletions(s).some((d) => index.has(d));

/** `docs` and `analysed` (same order): the documents of documents.ts and their analyses by `analyse`. */
export function createVocabulary(
  kb: KnowledgeBase,
  analyse: Analyser,
  docs: readonly Doc[],
  analysed: readonly Analysis[],
): Vocabulary {
  // Keywords (and synonym canonicals) are strong evidence; words of the phrasings are weak.
  const strong = new Set<string>();
  // Only one-word keywords are strong: the words of a phrase ("ligue de l'enseignement") are not domain terms alone.
  const weak = new Set<string>();
  for (const t of kb.topics) {
    for (const k of t.keywords) {
      const stems = analyse(k).stems;
      for (const s of stems) (stems.length === 1 ? strong : weak).add(s);
    }
  }
  for (const canonical of Object.keys(kb.synonyms)) for (const s of analyse(canonical).stems) strong.add(s);
  for (const [i, d] of docs.entries()) if (d.topic !== OFF_TOPIC) for (const s of analysed[i]!.stems) weak.add(s);
  const offVocab = new Set<string>();
  for (const [i, d] of docs.entries()) if (d.topic === OFF_TOPIC) for (const s of analysed[i]!.stems) offVocab.add(s);
  const strongFuzzy = deletionIndex(strong);
  const weakFuzzy = deletionIndex(weak);

  // Other schemes / personal technical problems, and the anchors of this scheme (stem sequences).
  const stemPhrases = (list: readonly string[] | undefined) =>
    (list ?? []).map((p) => analyse(p).stems.join(' ')).filter((p) => p.length > 0);
  const declineSignals = stemPhrases(kb.declineSignals);
  const anchors = new Set(stemPhrases(kb.anchors).flatMap((p) => p.split(' ')));

  return {
    evidence(stems) {
      let value = 0;
      let known = 0;
      for (const s of new Set(stems)) {
        if (strong.has(s)) {
          // a keyword also seen in the off-topic examples ("recette", "abonnement") is ambiguous
          value += offVocab.has(s) ? 0.3 : 1;
          known++;
        } else if (/^\d+$/.test(s)) {
          // a bare number ("ligue 1", "windows 11") is no domain evidence unless a keyword ("77", "4")
        } else if (weak.has(s)) {
          value += offVocab.has(s) ? 0.1 : 0.35;
          known++;
        } else if (nearVocabulary(s, strongFuzzy)) {
          value += 0.8;
          known++;
        } else if (nearVocabulary(s, weakFuzzy)) {
          value += 0.25;
          known++;
        }
      }
      return { value, known };
    },
    isForeign(stems) {
      if (declineSignals.length === 0 || stems.some((s) => anchors.has(s))) return false;
      const joined = ` ${stems.join(' ')} `;
      return declineSignals.some((p) => joined.includes(` ${p} `));
    },
  };
}
