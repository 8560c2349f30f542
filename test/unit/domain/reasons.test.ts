import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAQ_TOPICS, FLAGS, flag, REASONS, reason, SOFT_FLAGS } from '../../../shared/domain/reasons.js';
import { handbookPath } from '../../helpers/handbook.js';

describe('reasons and flags catalogue', () => {
  it('every entry has a French message that never claims a qualification, and a known topic', () => {
    for (const [code, e] of Object.entries({ ...REASONS, ...FLAGS })) {
      expect(e.message.length, code).toBeGreaterThan(20);
      expect(e.message).not.toMatch(/vous êtes qualifié/i);
      if ('topic' in e && e.topic) expect(FAQ_TOPICS).toContain(e.topic);
    }
  });

  it('covers the codes of eligibility.md and application.md', () => {
    for (const c of [
      'siret_missing',
      'not_mandated',
      'no_bank_account',
      'no_mediation_activity',
      'charter_refused',
      'cgu_refused',
      'subscription_refused',
      'distance_only',
      'too_many_places',
    ]) {
      expect(REASONS).toHaveProperty(c);
    }
    for (const c of [
      'regie_required',
      'siret_possibly_used',
      'siret_non_diffusible',
      'no_accompaniment_service',
      'autonomy_only',
      'multi_sites',
      'closed_public',
      'low_opening_hours',
      'no_zero_remaining_cost',
      'supervision_weak',
      'no_training',
      'no_publication',
      'home_services_later',
      'subscription_to_confirm',
      'campaign_unknown',
    ]) {
      expect(FLAGS).toHaveProperty(c);
    }
    expect([...SOFT_FLAGS].sort()).toEqual(
      [
        'supervision_weak',
        'no_zero_remaining_cost',
        'autonomy_only',
        'closed_public',
        'low_opening_hours',
        'no_training',
        'no_accompaniment_service',
      ].sort(),
    );
  });

  it('findings are shared immutable objects', () => {
    expect(reason('siret_missing')).toBe(reason('siret_missing'));
    expect(Object.isFrozen(flag('multi_sites'))).toBe(true);
    expect(flag('multi_sites')).toEqual({
      code: 'multi_sites',
      message: FLAGS.multi_sites.message,
      topic: 'multi-sites',
    });
  });

  it('the topic ids are the 25 of faq-topics.md, in order, then the ones added since (issue 14)', () => {
    const text = readFileSync(handbookPath('faq-topics.md'), 'utf8');
    const ids = [...text.matchAll(/^### \d+\. `([a-z-]+)`/gm)].map((m) => m[1]);
    expect(ids).toHaveLength(25);
    expect([...FAQ_TOPICS]).toEqual([...ids, 'find-my-application']);
  });
});
