import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../../bot/faq/knowledge-base.js';
import { createFaqMatcher } from '../../../bot/faq/matcher.js';
import { EVAL_SET_PATH, evaluate, loadEvalSet, loadHeldoutV2, loadHeldoutV3 } from '../../bench/faq.js';

const kb = loadKnowledgeBase();
const matcher = createFaqMatcher(kb);
const heldout = loadHeldoutV3();
const v2 = loadHeldoutV2();
const tune = loadEvalSet();
/** heldout-v4: measured blind once (89.3 % / 93.3 %), then tuning material; its questions are NOT in the knowledge base. */
const v4 = loadEvalSet(EVAL_SET_PATH.replace(/eval-set\.json$/, 'heldout-v4.json'));

describe('FAQ evaluation sets', () => {
  it('heldout-v3 has ≥ 8 questions per topic and ≥ 50 off-topic ones, with known topics only', () => {
    for (const t of kb.topics) expect(heldout.filter((i) => i.topic === t.id).length, t.id).toBeGreaterThanOrEqual(8);
    expect(heldout.filter((i) => i.topic === null).length).toBeGreaterThanOrEqual(50);
    for (const i of heldout) if (i.topic) expect(kb.topics.some((t) => t.id === i.topic)).toBe(true);
  });

  it('tuning material (eval-set, heldout-v2, heldout-v4) has ≥ 6 questions per topic and ≥ 30 off-topic ones', () => {
    for (const set of [tune, v2, v4]) {
      for (const t of kb.topics) expect(set.filter((i) => i.topic === t.id).length, t.id).toBeGreaterThanOrEqual(6);
      expect(set.filter((i) => i.topic === null).length).toBeGreaterThanOrEqual(30);
    }
  });

  // Goal (issue): ≥ 90 % top-1 on held-out questions and ≥ 90 % of off-topic ones declined.
  // Measured on the blind heldout-v3 set (docs/faq.md, measurement 2 of 2): 89.2 % top-1 (198/222), 94.6 % declined
  // (53/56). Top-1 is just under the goal, declines reach it. This is a regression guard pinning what was reached;
  // nothing was tuned on these questions.
  it('keeps the measured heldout-v3 figures (goal 90 % / 90 %; reached 89.2 % top-1, 94.6 % declined)', () => {
    const r = evaluate(matcher, heldout);
    expect(r.top1).toBeGreaterThanOrEqual(198 / 222 - 1e-9);
    expect(r.declined).toBeGreaterThanOrEqual(53 / 56 - 1e-9);
  });

  // eval-set.json and heldout-v2.json were merged into the knowledge base's examples: these are training-set figures,
  // not a measure of generalisation (the 5-fold cross-validated figures are in docs/faq.md).
  it('answers the tuning questions it was trained on', () => {
    for (const set of [tune, v2]) {
      const r = evaluate(matcher, set);
      expect(r.top1).toBeGreaterThanOrEqual(0.98);
      expect(r.declined).toBeGreaterThanOrEqual(0.95);
    }
  });

  // heldout-v4 was tuning material for round 4 (docs/faq.md) but none of its questions was added to the knowledge
  // base: this is a fit on questions that were looked at, not a held-out figure (blind, before round 4: 201/225, 56/60).
  it('keeps the heldout-v4 fit of round 4 (204/225 top-1, 56/60 declined)', () => {
    const r = evaluate(matcher, v4);
    expect(r.top1).toBeGreaterThanOrEqual(204 / 225 - 1e-9);
    expect(r.declined).toBeGreaterThanOrEqual(56 / 60 - 1e-9);
  });
});
