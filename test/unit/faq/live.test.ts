// A published FAQ version is stored without the training sets that ship with the code (docs/faq.md « Published
// versions »): a running bot must read it with its own file's sets, or it would answer from a fifth of its material.
import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../../bot/faq/knowledge-base.js';
import { createLiveFaqPort } from '../../../bot/faq-live.js';
import { withoutTrainingSets } from '../../../shared/usecases/console/knowledge-base.js';

const vars = { supportEmail: 'aide@example.org', kitPrice: '77', kitPeriod: 'an' };

describe('a published FAQ version stored without the training sets', () => {
  it('is read with the file’s sets: it answers the sets’ questions as the file does', async () => {
    const file = loadKnowledgeBase();
    const stored = withoutTrainingSets(file);
    expect(stored).not.toHaveProperty('mergedEvaluationSets');
    const live = createLiveFaqPort(
      { since: async () => ({ versionId: 'v1', body: stored }), checkSeconds: async () => 0, now: () => Date.now() },
      { file },
    );
    // Every 20th question of the merged sets: many are answered only thanks to the sets themselves.
    const questions = (file.mergedEvaluationSets ?? []).flatMap((s) => s.items).filter((_, i) => i % 20 === 0);
    const before = questions.map((q) => live.match(q.question, vars).topic);
    await live.refresh();
    expect(live.versionId()).toBe('v1');
    expect(questions.map((q) => live.match(q.question, vars).topic)).toEqual(before);
  }, 60_000);
});
