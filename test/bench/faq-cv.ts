import { fileURLToPath } from 'node:url';
import { type FaqTopicId, type KnowledgeBase, loadKnowledgeBase } from '../../bot/faq/knowledge-base.js';
import { type AskRule, createFaqMatcher, type FaqMatcherOptions } from '../../bot/faq/matcher.js';
import { normaliseText } from '../../bot/faq/normalise.js';
import { type EvalItem, evaluate, formatSuggestions, loadSet, type SplitFigures } from './faq.js';

/**
 * Leave-one-set-out cross-validation of the FAQ matcher (docs/faq.md, round 5): each evaluation set was written by
 * its own author in their own style, so holding out a whole set mimics « a question from someone new » far better
 * than a random k-fold (where the same author's phrasings sit on both sides).
 *
 * Per fold: the knowledge base's hand-written part (its `mergedEvaluationSets` removed, and every example equal, after
 * normalisation, to a question of any tuning set removed) + the other sets' questions as merged examples; the held-out
 * set is then answered by a matcher built with the production threshold.
 *
 * Only the sets listed here are read — the tuning material. A blind set being written for a later measurement is
 * never loaded by this script.
 */
export const TUNING_SETS: readonly string[] = [
  'eval-set',
  'heldout-v2',
  'heldout-v3',
  'heldout-v4',
  'heldout-v5',
  'heldout-v8',
  'heldout-v9',
  'heldout-v10',
  'heldout-v11',
  'heldout-v12',
  'heldout-v13',
  'heldout-v14',
  'heldout-v15',
  'heldout-v16',
  'heldout-v17',
  'heldout-v18',
  'heldout-v19',
  'heldout-v21',
  'heldout-v22',
  'heldout-v23',
  'heldout-v24',
  'heldout-v25',
  'heldout-v26',
];

export function loadTuningSets(): Map<string, EvalItem[]> {
  return new Map(TUNING_SETS.map((name) => [name, loadSet(name)]));
}

/** Every question of the tuning sets, normalised: what « also occurs in tuning material » compares against. */
export function tuningQuestions(sets: ReadonlyMap<string, readonly EvalItem[]> = loadTuningSets()): Set<string> {
  const seen = new Set<string>();
  for (const items of sets.values()) for (const it of items) seen.add(normaliseText(it.question));
  return seen;
}

/** The items whose question does not occur (normalised) in the tuning sets. */
export function notInTuning<T extends EvalItem>(
  items: readonly T[],
  sets: ReadonlyMap<string, readonly EvalItem[]> = loadTuningSets(),
): T[] {
  const seen = tuningQuestions(sets);
  return items.filter((i) => !seen.has(normaliseText(i.question)));
}

/** The knowledge base without any evaluation question: merged sets dropped, examples equal to a tuning question dropped. */
export function handWritten(kb: KnowledgeBase, sets: ReadonlyMap<string, readonly EvalItem[]>): KnowledgeBase {
  const seen = tuningQuestions(sets);
  const keep = (e: string) => !seen.has(normaliseText(e));
  const { mergedEvaluationSets: _merged, ...rest } = kb;
  return {
    ...rest,
    offTopicExamples: kb.offTopicExamples.filter(keep),
    topics: kb.topics.map((t) => ({ ...t, examples: t.examples.filter(keep) })),
  };
}

export interface FoldFigures {
  set: string;
  inDomain: number;
  offTopic: number;
  top1: number;
  declined: number;
  buildMs: number;
  /** the fold's full figures (suggestions included) */
  figures: SplitFigures;
}

export function leaveOneSetOut(
  kb: KnowledgeBase = loadKnowledgeBase(),
  options: FaqMatcherOptions = {},
  sets: ReadonlyMap<string, readonly EvalItem[]> = loadTuningSets(),
): FoldFigures[] {
  const base = handWritten(kb, sets);
  const out: FoldFigures[] = [];
  for (const [held, items] of sets) {
    const train: KnowledgeBase = {
      ...base,
      mergedEvaluationSets: [...sets]
        .filter(([name]) => name !== held)
        .map(([name, its]) => ({
          source: name,
          items: its.map((i) => ({ question: i.question, topic: i.topic as FaqTopicId | null })),
        })),
    };
    const t0 = performance.now();
    const matcher = createFaqMatcher(train, options);
    const buildMs = performance.now() - t0;
    const r = evaluate(matcher, items);
    out.push({
      set: held,
      inDomain: r.inDomain,
      offTopic: r.offTopic,
      top1: Math.round(r.top1 * r.inDomain),
      declined: Math.round(r.declined * r.offTopic),
      buildMs,
      figures: r,
    });
  }
  return out;
}

const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)} %`;

export function formatFolds(folds: readonly FoldFigures[]): string[] {
  const lines = folds.flatMap((f) => [
    `${f.set.padEnd(11)} top-1 ${pct(f.top1, f.inDomain)} (${f.top1}/${f.inDomain}), declined ${pct(f.declined, f.offTopic)} (${f.declined}/${f.offTopic}), build ${f.buildMs.toFixed(0)} ms`,
    `${''.padEnd(11)} ${formatSuggestions(f.figures)}`,
  ]);
  const total = (
    k:
      | 'asked'
      | 'rightAmongSuggestions'
      | 'resolved'
      | 'offTopicSuggested'
      | 'unsure'
      | 'wrong'
      | 'wrongRescued'
      | 'unsureRight',
  ) => folds.reduce((a, f) => a + f.figures[k], 0);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sum = (k: 'top1' | 'declined' | 'inDomain' | 'offTopic') => folds.reduce((a, f) => a + f[k], 0);
  lines.push(
    `mean of sets: top-1 ${(100 * mean(folds.map((f) => f.top1 / f.inDomain))).toFixed(1)} %, declined ${(100 * mean(folds.map((f) => f.declined / f.offTopic))).toFixed(1)} %; pooled: top-1 ${pct(sum('top1'), sum('inDomain'))} (${sum('top1')}/${sum('inDomain')}), declined ${pct(sum('declined'), sum('offTopic'))} (${sum('declined')}/${sum('offTopic')})`,
  );
  lines.push(
    `pooled suggestions: right topic among them ${pct(total('rightAmongSuggestions'), total('asked'))} (${total('rightAmongSuggestions')}/${total('asked')}, ${total('unsure')} unsure); right answer or right suggestion ${pct(total('resolved'), sum('inDomain'))}; misses rescued by a suggestion ${total('wrongRescued')}/${total('wrong')}; right answers followed by suggestions ${total('unsureRight')}/${sum('top1')}; off-topic given suggestions ${total('offTopicSuggested')}/${sum('offTopic')}`,
  );
  return lines;
}

/** `npm run bench -- faq-cv` */
export async function benchFaqCv(): Promise<string[]> {
  return ['leave-one-set-out cross-validation (train: hand-written + the other sets; test: the set)'].concat(
    formatFolds(leaveOneSetOut()),
  );
}

/**
 * `npm run bench -- faq-ask`: the trade-off of the ask rule (DEFAULT_ASK in bot/faq/matcher.ts) on the same
 * leave-one-set-out CV — how many misses a suggestion rescues against how many right answers carry suggestions — for
 * a few closeness values and round 6's rule. Top-1 and declines do not depend on it. Five builds per row (~1 min).
 */
export async function benchFaqAsk(): Promise<string[]> {
  const kb = loadKnowledgeBase();
  const sets = loadTuningSets();
  const rows: [string, Partial<AskRule>][] = [
    ['round 6 (margin 0.2, closeness 0.6, one floor 0.1)', { margin: 0.2, closeness: 0.6, offTopicFloor: 0.1 }],
    ...[0.3, 0.4, 0.5, 0.6, 0.7].map((c): [string, Partial<AskRule>] => [`closeness ${c}`, { closeness: c }]),
  ];
  const lines = ['ask rule on the leave-one-set-out CV (tuning sets only; default: DEFAULT_ASK)'];
  for (const [name, ask] of rows) {
    const folds = leaveOneSetOut(kb, { ask }, sets);
    const total = (
      k: 'asked' | 'rightAmongSuggestions' | 'wrong' | 'wrongRescued' | 'unsureRight' | 'offTopicSuggested',
    ) => folds.reduce((a, f) => a + f.figures[k], 0);
    const top1 = folds.reduce((a, f) => a + f.top1, 0);
    const offTopic = folds.reduce((a, f) => a + f.offTopic, 0);
    lines.push(
      `${name.padEnd(50)} right topic among suggestions ${pct(total('rightAmongSuggestions'), total('asked'))} (${total('rightAmongSuggestions')}/${total('asked')}); misses rescued ${total('wrongRescued')}/${total('wrong')}; right answers with suggestions ${total('unsureRight')}/${top1}; off-topic given suggestions ${total('offTopicSuggested')}/${offTopic}`,
    );
  }
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  void benchFaqCv().then((lines) => {
    for (const line of lines) console.log(line);
  });
}
