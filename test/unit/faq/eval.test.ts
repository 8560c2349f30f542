import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../../bot/faq/knowledge-base.js';
import { createFaqMatcher } from '../../../bot/faq/matcher.js';
import { normaliseText } from '../../../bot/faq/normalise.js';
import { evaluate, loadHeldoutV6 } from '../../bench/faq.js';
import { loadTuningSets, notInTuning, TUNING_SETS } from '../../bench/faq-cv.js';

const kb = loadKnowledgeBase();
const matcher = createFaqMatcher(kb);
/** eval-set, heldout-v2 … heldout-v5: all measured already, now tuning material merged into the knowledge base. */
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
  // Reached in round 5: 199/200 40/40, 225/226 50/50, 220/222 56/56, 224/225 60/60, 223/225 59/60.
  it('fits the merged sets it was trained on (≥ 98 % top-1 and ≥ 95 % declined per set, ≤ 8 / ≤ 2 misses in all)', () => {
    let topicMisses = 0;
    let offTopicMisses = 0;
    for (const [name, set] of sets) {
      const r = evaluate(matcher, set);
      expect(r.top1, name).toBeGreaterThanOrEqual(0.98);
      expect(r.declined, name).toBeGreaterThanOrEqual(0.95);
      topicMisses += r.misses.filter((m) => m.expected !== null).length;
      offTopicMisses += r.misses.filter((m) => m.expected === null).length;
    }
    expect(topicMisses).toBeLessThanOrEqual(8);
    expect(offTopicMisses).toBeLessThanOrEqual(2);
  });
});

// Goal (issue): ≥ 90 % top-1 on questions nobody tuned for, ≥ 90 % of off-topic ones declined. heldout-v6 was written
// blind by a separate author and measured once, in aggregate, after round 5 (docs/faq.md): 94.0 % top-1 (235/250),
// 100 % declined (60/60). Nothing is tuned on it; this pins what was reached, as a regression guard. Issue 14 (round 6:
// synonyms chosen on the CV, complaint / missing-payment phrases sent to a person) cost one question, seen in the
// aggregate only and not searched for: 234/250 (206/222 unseen), pinned as measured (docs/faq.md, round 6).
describe('FAQ on the blind held-out set (heldout-v6)', () => {
  const heldout = loadHeldoutV6();
  // Short queries that independent authors both write (« tarif kit ») also occur in the merged tuning sets: 40 of the
  // 310 after normalisation. The figure on the other 270 is pinned too, so the overlap cannot carry the result.
  const fresh = notInTuning(heldout, sets);

  it('has 10 questions per topic and 60 off-topic ones', () => {
    for (const t of setTopics) expect(heldout.filter((i) => i.topic === t.id).length, t.id).toBe(10);
    expect(heldout.filter((i) => i.topic === null)).toHaveLength(60);
    expect(heldout.length - fresh.length).toBeLessThanOrEqual(40);
  });

  it('keeps the measured figures (goal 90 % / 90 %; reached 93.6 % top-1, 100 % declined; 92.8 % / 100 % on the questions absent from tuning material)', () => {
    const all = evaluate(matcher, heldout);
    expect(all.top1).toBeGreaterThanOrEqual(234 / 250 - 1e-9);
    expect(all.declined).toBeGreaterThanOrEqual(60 / 60 - 1e-9);
    // Round 7's ask rule, measured once (docs/faq.md): right answer or right suggestion 244/250, off-topic questions
    // given suggestions 3/60 (goal of the issue: the right topic among the suggestions ≥ 97 % — not reached, 49/54).
    expect(all.resolved).toBeGreaterThanOrEqual(244);
    expect(all.offTopicSuggested).toBeLessThanOrEqual(3);
    const unseen = evaluate(matcher, fresh);
    expect(unseen.top1).toBeGreaterThanOrEqual(206 / 222 - 1e-9);
    expect(unseen.declined).toBeGreaterThanOrEqual(48 / 48 - 1e-9);
  });
});
