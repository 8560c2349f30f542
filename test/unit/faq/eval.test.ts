import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../../bot/faq/knowledge-base.js';
import { createFaqMatcher } from '../../../bot/faq/matcher.js';
import { normaliseText } from '../../../bot/faq/normalise.js';
import { evaluate, HELD_OUT_SETS, loadSet } from '../../bench/faq.js';
import { loadTuningSets, notInTuning, TUNING_SETS } from '../../bench/faq-cv.js';

const kb = loadKnowledgeBase();
const matcher = createFaqMatcher(kb);
/** eval-set, heldout-v2 … v5, v8 … v19 and v21 … v26: all measured already, now tuning material merged into the knowledge base. */
const sets = loadTuningSets();
/** The topics the sets were written for: those of faq-topics.md (find-my-application came later, with no set questions). */
const setTopics = kb.topics.filter((t) => t.id !== 'find-my-application');

describe('FAQ evaluation sets (tuning material)', () => {
  it('each set has ≥ 6 questions per topic and ≥ 30 off-topic ones, with known topics only', () => {
    for (const [name, set] of sets) {
      for (const t of setTopics) {
        expect(set.filter((i) => i.topic === t.id).length, `${name} ${t.id}`).toBeGreaterThanOrEqual(6);
      }
      expect(set.filter((i) => i.topic === null).length, name).toBeGreaterThanOrEqual(30);
      for (const i of set)
        if (i.topic)
          expect(
            kb.topics.some((t) => t.id === i.topic),
            i.question,
          ).toBe(true);
    }
  });

  // Provenance: every merged question sits in `mergedEvaluationSets` under the file it comes from, with its label, and
  // nowhere else is an evaluation question expected (the hand-written examples are audited in docs/faq.md).
  it('merges exactly the tuning sets, each under its source file, with the same labels', () => {
    const merged = kb.mergedEvaluationSets ?? [];
    expect(merged.map((m) => m.source)).toEqual(TUNING_SETS.map((n) => `test/unit/faq/${n}.json`));
    for (const [i, name] of TUNING_SETS.entries()) {
      const norm = (items: readonly { question: string; topic: string | null }[]) =>
        items.map((x) => `${x.topic} ${normaliseText(x.question)}`).sort();
      expect(norm(merged[i]!.items), name).toEqual(norm(sets.get(name)!));
    }
  });

  // The goal of the issue (≥ 90 % top-1 on questions nobody tuned for, ≥ 90 % off-topic declined) is measured on a
  // blind set by the lead, and estimated by leave-one-set-out cross-validation (`npm run bench -- faq-cv`,
  // docs/faq.md). These sets are training material: the figures below are a training fit, not generalisation. They
  // guard the merge itself (drop the merged sets and heldout-v5 falls to ~84 %) and the matcher's capacity to fit.
  // Reached in round 10 (23 sets): every set ≥ 98.4 % top-1 and ≥ 96.7 % declined; 36 and 10 misses in all (round 9,
  // seventeen sets: 25 and 8).
  it('fits the merged sets it was trained on (≥ 98 % top-1 and ≥ 95 % declined per set, ≤ 36 / ≤ 10 misses in all)', () => {
    let topicMisses = 0;
    let offTopicMisses = 0;
    for (const [name, set] of sets) {
      const r = evaluate(matcher, set);
      expect(r.top1, name).toBeGreaterThanOrEqual(0.98);
      expect(r.declined, name).toBeGreaterThanOrEqual(0.95);
      topicMisses += r.misses.filter((m) => m.expected !== null).length;
      offTopicMisses += r.misses.filter((m) => m.expected === null).length;
    }
    expect(topicMisses).toBeLessThanOrEqual(36);
    expect(offTopicMisses).toBeLessThanOrEqual(10);
  }, 120_000); // 9,300 questions: ≈ 6 s alone, more beside the rest of the suite on 2 cores
});

// Goal (issue): ≥ 90 % top-1 on questions nobody tuned for, ≥ 90 % of off-topic ones declined. Each held-out set was
// written blind by a separate author who read only faq-topics.md, domain.md and eligibility.md, and is never tuned on
// nor merged. A set stays blind for at most two aggregate looks; after that it is a regression guard: its figures are
// pinned as measured after each round (docs/faq.md). Short queries that independent authors both write (« tarif kit »)
// also occur in the merged tuning sets, so the figure on the other questions is pinned too: the overlap cannot carry
// the result.
interface Pinned {
  perTopic: number;
  offTopic: number;
  overlap: number;
  top1: [number, number];
  declined: [number, number];
  rightAmongSuggestions: number;
  resolved: number;
  offTopicSuggested: number;
  unseenTop1: [number, number];
  unseenDeclined: [number, number];
}

/** The figures measured on each of HELD_OUT_SETS (test/bench/faq.ts, which says what each set is), by name. */
const PINNED: Record<string, Pinned> = {
  // Written after round 10 by a new author, measured once on round 10's matcher (its first look; one left).
  'heldout-v28': {
    perTopic: 15,
    offTopic: 75,
    overlap: 85,
    top1: [369, 375],
    declined: [74, 75],
    rightAmongSuggestions: 26,
    resolved: 373,
    offTopicSuggested: 1,
    unseenTop1: [314, 320],
    unseenDeclined: [44, 45],
  },
  // Blind for round 10: measured twice, before and after the other-scheme rule (the same figures but one more
  // off-topic question given suggestions, 2 → 3); a regression guard from now on.
  'heldout-v27': {
    perTopic: 15,
    offTopic: 75,
    overlap: 75,
    top1: [357, 375],
    declined: [75, 75],
    rightAmongSuggestions: 40,
    resolved: 368,
    offTopicSuggested: 3,
    unseenTop1: [308, 326],
    unseenDeclined: [49, 49],
  },
  // Blind for rounds 9 (359/375, 73/75, suggestions 50/53) and 10 (as below): a regression guard since.
  'heldout-v20': {
    perTopic: 15,
    offTopic: 75,
    overlap: 100,
    top1: [359, 375],
    declined: [73, 75],
    rightAmongSuggestions: 44,
    resolved: 373,
    offTopicSuggested: 3,
    unseenTop1: [298, 314],
    unseenDeclined: [34, 36],
  },
  // Blind for rounds 7 (230/250, 59/60) and 8 (245/250, 59/60); 246/250 after round 9, as below after round 10.
  'heldout-v7': {
    perTopic: 10,
    offTopic: 60,
    overlap: 61,
    top1: [249, 250],
    declined: [60, 60],
    rightAmongSuggestions: 16,
    resolved: 250,
    offTopicSuggested: 1,
    unseenTop1: [210, 210],
    unseenDeclined: [39, 39],
  },
  // Blind for round 5 (235/250, 60/60); 234/250 after rounds 6–7, 243/250 after round 8, 244/250 after round 9 (20
  // right among suggestions, 248 resolved), as below after round 10 (fewer asked: 20 instead of 22).
  'heldout-v6': {
    perTopic: 10,
    offTopic: 60,
    overlap: 72,
    top1: [244, 250],
    declined: [60, 60],
    rightAmongSuggestions: 17,
    resolved: 247,
    offTopicSuggested: 1,
    unseenTop1: [198, 204],
    unseenDeclined: [34, 34],
  },
};

it('pins every held-out set the bench prints, and no other', () => {
  expect(Object.keys(PINNED)).toEqual(HELD_OUT_SETS.map((s) => s.name));
});

describe.each(HELD_OUT_SETS)('FAQ on the held-out set $name ($what)', ({ name }) => {
  const pin = PINNED[name]!;
  const heldout = loadSet(name);
  const fresh = notInTuning(heldout, sets);

  it(`has ${pin.perTopic} questions per topic and ${pin.offTopic} off-topic ones`, () => {
    for (const t of setTopics) expect(heldout.filter((i) => i.topic === t.id).length, t.id).toBe(pin.perTopic);
    expect(heldout.filter((i) => i.topic === null)).toHaveLength(pin.offTopic);
    expect(heldout.length - fresh.length).toBeLessThanOrEqual(pin.overlap);
  });

  it(`keeps the measured figures (goal 90 % / 90 %; ${pin.top1.join('/')} top-1, ${pin.declined.join('/')} declined)`, () => {
    const all = evaluate(matcher, heldout);
    expect(all.top1).toBeGreaterThanOrEqual(pin.top1[0] / pin.top1[1] - 1e-9);
    expect(all.declined).toBeGreaterThanOrEqual(pin.declined[0] / pin.declined[1] - 1e-9);
    expect(all.rightAmongSuggestions).toBeGreaterThanOrEqual(pin.rightAmongSuggestions);
    expect(all.resolved).toBeGreaterThanOrEqual(pin.resolved);
    expect(all.offTopicSuggested).toBeLessThanOrEqual(pin.offTopicSuggested);
    const unseen = evaluate(matcher, fresh);
    expect(unseen.top1).toBeGreaterThanOrEqual(pin.unseenTop1[0] / pin.unseenTop1[1] - 1e-9);
    expect(unseen.declined).toBeGreaterThanOrEqual(pin.unseenDeclined[0] / pin.unseenDeclined[1] - 1e-9);
  });
});
