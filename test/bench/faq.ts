import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase } from '../../bot/faq/knowledge-base.js';
import { createFaqMatcher, type FaqMatcher } from '../../bot/faq/matcher.js';

export interface EvalItem {
  question: string;
  topic: string | null;
  /** eval-set.json only; the heldout-v* sets are held out (or tuning material) as a whole */
  split?: 'tune' | 'heldout';
}

/** The first evaluation set (both splits): now tuning material, and merged into the knowledge base's examples. */
export const EVAL_SET_PATH = fileURLToPath(new URL('../unit/faq/eval-set.json', import.meta.url));

export function loadEvalSet(path: string = EVAL_SET_PATH): EvalItem[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { items: EvalItem[] }).items;
}

/** A set of `test/unit/faq/` by name (`eval-set`, `heldout-v2` …). */
export function loadSet(name: string): EvalItem[] {
  return loadEvalSet(fileURLToPath(new URL(`../unit/faq/${name}.json`, import.meta.url)));
}

/**
 * The held-out sets (docs/faq.md, « Evaluation protocol »), each written blind by an author who saw neither the
 * knowledge base nor any other set: never tuned on, never merged; only their aggregate figures are ever printed. A set
 * is blind for at most two aggregate looks, then a regression guard. Newest first.
 */
export const HELD_OUT_SETS: readonly { name: string; what: string }[] = [
  {
    name: 'heldout-v28',
    what: 'never tuned on, written after round 10 and looked at once (2026-12-03, the matcher of round 10): one look left',
  },
  { name: 'heldout-v27', what: 'never tuned on, blind for round 10 (two looks): a regression guard from round 11' },
  {
    name: 'heldout-v20',
    what: 'never tuned on, blind for round 9 (first look) and round 10 (second): a regression guard',
  },
  { name: 'heldout-v7', what: 'never tuned on, blind until round 8: a regression guard' },
  { name: 'heldout-v6', what: 'never tuned on, blind until round 5: a regression guard' },
];

export interface SplitFigures {
  inDomain: number;
  offTopic: number;
  /** in-domain questions answered with the expected topic (declines count as misses) */
  top1: number;
  /** off-topic questions declined (topic null) */
  declined: number;
  /** in-domain questions declined or answered « unsure »: where the chat asks « Vous parlez de : … ? » */
  asked: number;
  /** of `asked`, those whose expected topic is among the suggestions (a decline under the ask floor offers none) */
  rightAmongSuggestions: number;
  /** of `asked`, those answered « unsure » (the others are declined) */
  unsure: number;
  /** in-domain questions answered with the right topic, or declined / unsure with the right topic suggested */
  resolved: number;
  /** off-topic questions that get suggestions (asked about although outside the topics) */
  offTopicSuggested: number;
  /** in-domain questions not answered with the expected topic (declined or wrong) */
  wrong: number;
  /** of `wrong`, those whose expected topic is suggested: the misses that asking rescues */
  wrongRescued: number;
  /** in-domain questions answered right yet « unsure »: the cost of asking (an answer followed by suggestions) */
  unsureRight: number;
  misses: { question: string; expected: string | null; got: string | null; score: number }[];
}

export function evaluate(matcher: FaqMatcher, items: readonly EvalItem[]): SplitFigures {
  let inDomain = 0;
  let offTopic = 0;
  let ok = 0;
  let declined = 0;
  let asked = 0;
  let right = 0;
  let unsure = 0;
  let resolved = 0;
  let offTopicSuggested = 0;
  let wrong = 0;
  let wrongRescued = 0;
  let unsureRight = 0;
  const misses: SplitFigures['misses'] = [];
  for (const it of items) {
    const r = matcher.match(it.question);
    const suggested = r.suggestions.some((s) => s.topic === it.topic);
    if (it.topic === null) {
      offTopic++;
      if (r.topic === null) declined++;
      else misses.push({ question: it.question, expected: null, got: r.topic, score: r.score });
      if (r.suggestions.length > 0) offTopicSuggested++;
    } else {
      inDomain++;
      if (r.topic === it.topic) {
        ok++;
        if (r.unsure) unsureRight++;
      } else {
        wrong++;
        if (suggested) wrongRescued++;
        misses.push({ question: it.question, expected: it.topic, got: r.topic, score: r.score });
      }
      if (r.topic === null || r.unsure) {
        asked++;
        if (r.unsure) unsure++;
        if (suggested) right++;
      }
      if ((r.topic === it.topic && !r.unsure) || suggested) resolved++;
    }
  }
  return {
    inDomain,
    offTopic,
    top1: ok / inDomain,
    declined: declined / offTopic,
    asked,
    rightAmongSuggestions: right,
    unsure,
    resolved,
    offTopicSuggested,
    wrong,
    wrongRescued,
    unsureRight,
    misses,
  };
}

/** One line: how often asking « Vous parlez de : … ? » offers the right topic (goal ≥ 97 %). */
export function formatSuggestions(f: SplitFigures): string {
  const rate = f.asked > 0 ? pct(f.rightAmongSuggestions / f.asked) : 'n/a';
  return `right topic among suggestions ${rate} (${f.rightAmongSuggestions}/${f.asked} in-domain declined or unsure, of which ${f.unsure} unsure; goal ≥ 97 %); right answer or right suggestion ${pct(f.resolved / f.inDomain)} (${f.resolved}/${f.inDomain}); misses rescued by a suggestion ${f.wrongRescued}/${f.wrong}; right answers followed by suggestions (unsure) ${f.unsureRight}/${Math.round(f.top1 * f.inDomain)}; off-topic given suggestions ${f.offTopicSuggested}/${f.offTopic}`;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export async function benchFaq(): Promise<string[]> {
  const kb = loadKnowledgeBase();
  const t0 = performance.now();
  const matcher = createFaqMatcher(kb);
  const buildMs = performance.now() - t0;
  // (Imported here: faq-cv.ts imports this module.)
  const { notInTuning } = await import('./faq-cv.js');
  // Each held-out set, whole and without its questions that also occur (normalised) in the merged tuning sets.
  const heldoutLines = (name: string, what: string, heldoutItems: readonly EvalItem[]) => {
    const heldout = evaluate(matcher, heldoutItems);
    const freshItems = notInTuning(heldoutItems);
    const fresh = evaluate(matcher, freshItems);
    return [
      `faq heldout (${name}.json, ${what}) top-1 accuracy: ${pct(heldout.top1)} (${heldout.inDomain} in-domain questions; goal ≥ 90 %)`,
      `faq heldout (${name}.json) off-topic declined: ${pct(heldout.declined)} (${heldout.offTopic} questions; goal ≥ 90 %)`,
      `faq heldout (${name}.json) ${formatSuggestions(heldout)}`,
      `faq heldout (${name}.json without the ${heldoutItems.length - freshItems.length} questions also in tuning material) top-1: ${pct(fresh.top1)} (${fresh.inDomain}); declined: ${pct(fresh.declined)} (${fresh.offTopic})`,
      `faq heldout (${name}.json without them) ${formatSuggestions(fresh)}`,
    ];
  };
  const heldout = HELD_OUT_SETS.flatMap(({ name, what }) => heldoutLines(name, what, loadSet(name)));
  const heldoutItems = loadSet('heldout-v6');
  const v2Items = loadSet('heldout-v2');
  const v2 = evaluate(matcher, v2Items);
  const tuneItems = loadEvalSet();
  const tune = evaluate(matcher, tuneItems);
  const items = [...heldoutItems, ...v2Items, ...tuneItems];
  // Latency: every question of the three sets, 5 rounds, after one warm-up round.
  for (const it of items) matcher.match(it.question);
  // Wall time suffers from other processes on a shared machine; CPU time of this process shows the matcher's own cost.
  const times: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const it of items) {
      const c = process.cpuUsage();
      const s = performance.now();
      matcher.match(it.question);
      times.push(performance.now() - s);
      const d = process.cpuUsage(c);
      cpu.push((d.user + d.system) / 1000);
    }
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return [
    ...heldout,
    `faq tune (heldout-v2.json, an earlier held-out set now merged into the knowledge base) top-1 accuracy: ${pct(v2.top1)} (${v2.inDomain}); off-topic declined: ${pct(v2.declined)} (${v2.offTopic})`,
    `faq tune (eval-set.json, both old splits, merged into the knowledge base) top-1 accuracy: ${pct(tune.top1)} (${tune.inDomain}); off-topic declined: ${pct(tune.declined)} (${tune.offTopic})`,
    `faq tune (heldout-v2.json, eval-set.json; merged) ${formatSuggestions(v2)}; ${formatSuggestions(tune)}`,
    `faq match latency (wall): p50 ${percentile(times, 50).toFixed(3)} ms, p99 ${percentile(times, 99).toFixed(3)} ms (${times.length} calls)`,
    `faq match latency (CPU): p50 ${percentile(cpu, 50).toFixed(3)} ms, p99 ${percentile(cpu, 99).toFixed(3)} ms`,
    `faq index build: ${buildMs.toFixed(1)} ms (${kb.topics.length} topics, threshold ${matcher.threshold})`,
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // No top-level await: the module is also imported from CommonJS contexts (tsx scripts).
  void benchFaq().then((lines) => {
    for (const line of lines) console.log(line);
  });
}
