import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../../bot/faq/knowledge-base.js';
import { createFaqMatcher } from '../../../bot/faq/matcher.js';
import { evaluate, loadEvalSet } from '../../bench/faq.js';

const items = loadEvalSet();
const matcher = createFaqMatcher(loadKnowledgeBase());

describe('FAQ evaluation set', () => {
  it('has ≥ 6 questions per topic, ≥ 30 off-topic, at least half held out', () => {
    const kb = loadKnowledgeBase();
    for (const t of kb.topics) expect(items.filter((i) => i.topic === t.id).length, t.id).toBeGreaterThanOrEqual(6);
    expect(items.filter((i) => i.topic === null).length).toBeGreaterThanOrEqual(30);
    expect(items.filter((i) => i.split === 'heldout').length * 2).toBeGreaterThanOrEqual(items.length);
    for (const i of items) if (i.topic) expect(kb.topics.some((t) => t.id === i.topic)).toBe(true);
  });

  // The goal is ≥ 90 % / ≥ 90 %. Measured on the held-out split (docs/faq.md): 81 % top-1, 85 % declined.
  // The assertion pins what is reached, so that a regression fails; it was not tuned on these questions.
  it('keeps the measured held-out figures (goal 90 %, reached 81 % top-1 and 85 % declined)', () => {
    const r = evaluate(
      matcher,
      items.filter((i) => i.split === 'heldout'),
    );
    expect(r.top1).toBeGreaterThanOrEqual(0.81);
    expect(r.declined).toBeGreaterThanOrEqual(0.85);
  });

  it('keeps the tune figures (90 % top-1, 95 % declined)', () => {
    const r = evaluate(
      matcher,
      items.filter((i) => i.split === 'tune'),
    );
    expect(r.top1).toBeGreaterThanOrEqual(0.9);
    expect(r.declined).toBeGreaterThanOrEqual(0.95);
  });
});
