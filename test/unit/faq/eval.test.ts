import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../../bot/faq/knowledge-base.js';
import { createFaqMatcher } from '../../../bot/faq/matcher.js';
import { normaliseText } from '../../../bot/faq/normalise.js';
import { evaluate, loadHeldoutV6, loadHeldoutV7 } from '../../bench/faq.js';
import { loadTuningSets, notInTuning, TUNING_SETS } from '../../bench/faq-cv.js';

const kb = loadKnowledgeBase();
const matcher = createFaqMatcher(kb);
/** eval-set, heldout-v2 … v5 and v8 … v13: all measured already, now tuning material merged into the knowledge base. */
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
  // Reached in round 8 (eleven sets): every set ≥ 99.1 % top-1 and ≥ 97.3 % declined; 14 and 4 misses in all.
  it('fits the merged sets it was trained on (≥ 98 % top-1 and ≥ 95 % declined per set, ≤ 15 / ≤ 5 misses in all)', () => {
    let topicMisses = 0;
    let offTopicMisses = 0;
    for (const [name, set] of sets) {
      const r = evaluate(matcher, set);
      expect(r.top1, name).toBeGreaterThanOrEqual(0.98);
      expect(r.declined, name).toBeGreaterThanOrEqual(0.95);
      topicMisses += r.misses.filter((m) => m.expected !== null).length;
      offTopicMisses += r.misses.filter((m) => m.expected === null).length;
    }
    expect(topicMisses).toBeLessThanOrEqual(15);
    expect(offTopicMisses).toBeLessThanOrEqual(5);
  });
});

// Goal (issue): ≥ 90 % top-1 on questions nobody tuned for, ≥ 90 % of off-topic ones declined. heldout-v6 was written
// blind by a separate author and measured once, in aggregate, after round 5 (docs/faq.md): 94.0 % top-1 (235/250),
// 100 % declined (60/60); 234/250 after round 6, unchanged by round 7. Nothing is tuned on it, but it has been looked
// at after every round since, so it is a regression guard now, not a blind figure: round 8 (six sets by new authors
// merged, threshold 0.35) measured 243/250 and 59/60, pinned as measured.
describe('FAQ on the held-out set heldout-v6 (regression guard)', () => {
  const heldout = loadHeldoutV6();
  // Short queries that independent authors both write (« tarif kit ») also occur in the merged tuning sets: 59 of the
  // 310 after normalisation since round 8 (40 before). The figure on the others is pinned too, so the overlap cannot
  // carry the result.
  const fresh = notInTuning(heldout, sets);

  it('has 10 questions per topic and 60 off-topic ones', () => {
    for (const t of setTopics) expect(heldout.filter((i) => i.topic === t.id).length, t.id).toBe(10);
    expect(heldout.filter((i) => i.topic === null)).toHaveLength(60);
    expect(heldout.length - fresh.length).toBeLessThanOrEqual(59);
  });

  it('keeps the measured figures (goal 90 % / 90 %; 97.2 % top-1, 98.3 % declined; 96.7 % / 97.4 % on the questions absent from tuning material)', () => {
    const all = evaluate(matcher, heldout);
    expect(all.top1).toBeGreaterThanOrEqual(243 / 250 - 1e-9);
    expect(all.declined).toBeGreaterThanOrEqual(59 / 60 - 1e-9);
    // Right answer or right suggestion 249/250; off-topic questions given suggestions 2/60 (round 8).
    expect(all.resolved).toBeGreaterThanOrEqual(249);
    expect(all.offTopicSuggested).toBeLessThanOrEqual(2);
    const unseen = evaluate(matcher, fresh);
    expect(unseen.top1).toBeGreaterThanOrEqual(206 / 213 - 1e-9);
    expect(unseen.declined).toBeGreaterThanOrEqual(37 / 38 - 1e-9);
  });
});

// heldout-v7: written blind on 2026-12-03 by a separate author who read only faq-topics.md, domain.md and
// eligibility.md (as v6), committed before round 8 changed anything, and measured exactly twice, in aggregate: on
// round 7's matcher (230/250 top-1, 59/60 declined, right topic among suggestions 56/61) and after round 8 (below,
// pinned as measured). Never tuned on, never merged, no per-question result ever printed.
describe('FAQ on the blind held-out set heldout-v7', () => {
  const heldout = loadHeldoutV7();
  const fresh = notInTuning(heldout, sets);

  it('has 10 questions per topic and 60 off-topic ones', () => {
    for (const t of setTopics) expect(heldout.filter((i) => i.topic === t.id).length, t.id).toBe(10);
    expect(heldout.filter((i) => i.topic === null)).toHaveLength(60);
    expect(heldout.length - fresh.length).toBeLessThanOrEqual(45);
  });

  it('keeps the measured figures (goal 90 % / 90 %; 98.0 % top-1, 98.3 % declined; 97.7 % / 97.7 % on the questions absent from tuning material)', () => {
    const all = evaluate(matcher, heldout);
    expect(all.top1).toBeGreaterThanOrEqual(245 / 250 - 1e-9);
    expect(all.declined).toBeGreaterThanOrEqual(59 / 60 - 1e-9);
    // Right topic among suggestions 28/29 (goal ≥ 97 %: 96.6 %), right answer or right suggestion 249/250,
    // off-topic questions given suggestions 3/60.
    expect(all.rightAmongSuggestions).toBeGreaterThanOrEqual(28);
    expect(all.resolved).toBeGreaterThanOrEqual(249);
    expect(all.offTopicSuggested).toBeLessThanOrEqual(3);
    const unseen = evaluate(matcher, fresh);
    expect(unseen.top1).toBeGreaterThanOrEqual(216 / 221 - 1e-9);
    expect(unseen.declined).toBeGreaterThanOrEqual(43 / 44 - 1e-9);
  });
});
