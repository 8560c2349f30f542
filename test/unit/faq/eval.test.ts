import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../../bot/faq/knowledge-base.js';
import { createFaqMatcher } from '../../../bot/faq/matcher.js';
import { evaluate, loadEvalSet, loadHeldoutV2 } from '../../bench/faq.js';

const kb = loadKnowledgeBase();
const matcher = createFaqMatcher(kb);
const heldout = loadHeldoutV2();
const tune = loadEvalSet();

describe('FAQ evaluation sets', () => {
  it('heldout-v2 has ≥ 8 questions per topic and ≥ 40 off-topic ones, with known topics only', () => {
    for (const t of kb.topics) expect(heldout.filter((i) => i.topic === t.id).length, t.id).toBeGreaterThanOrEqual(8);
    expect(heldout.filter((i) => i.topic === null).length).toBeGreaterThanOrEqual(40);
    for (const i of heldout) if (i.topic) expect(kb.topics.some((t) => t.id === i.topic)).toBe(true);
  });

  it('eval-set (tuning material) has ≥ 6 questions per topic and ≥ 30 off-topic ones', () => {
    for (const t of kb.topics) expect(tune.filter((i) => i.topic === t.id).length, t.id).toBeGreaterThanOrEqual(6);
    expect(tune.filter((i) => i.topic === null).length).toBeGreaterThanOrEqual(30);
  });

  // Goal (issue): ≥ 90 % top-1 on held-out questions and ≥ 90 % of off-topic ones declined. NOT reached.
  // Measured on the blind heldout-v2 set (docs/faq.md): 84.5 % top-1 (191/226), 82.0 % declined (41/50).
  // This is a regression guard pinning what was reached; nothing was tuned on these questions.
  it('keeps the measured heldout-v2 figures (goal 90 % / 90 %; reached 84.5 % top-1, 82 % declined)', () => {
    const r = evaluate(matcher, heldout);
    expect(r.top1).toBeGreaterThanOrEqual(0.845);
    expect(r.declined).toBeGreaterThanOrEqual(0.82);
  });

  // eval-set.json was merged into the knowledge base's examples: these are training-set figures, not a measure of
  // generalisation (the 5-fold cross-validated figures are in docs/faq.md).
  it('answers the tuning questions it was trained on', () => {
    const r = evaluate(matcher, tune);
    expect(r.top1).toBeGreaterThanOrEqual(0.98);
    expect(r.declined).toBeGreaterThanOrEqual(0.95);
  });
});
