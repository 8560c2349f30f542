import { describe, expect, it } from 'vitest';
import { resultMessage } from '../../../bot/dialogs/summary.js';
import { AppConfigSchema } from '../../../shared/config/config.js';

// The webinar schedule the chat announces is configuration (issue 13), not a sentence in code.
const result = (route: string) => ({
  id: '0123456789abcdef',
  actorToken: null,
  status: 'eligible_now',
  route,
  phase: 1,
  flags: [],
  reasons: [],
});

describe('webinars announced by the chat', () => {
  const now = new Date('2026-12-02T10:00:00Z');
  const webinars = [
    { startsAt: '2026-11-24T14:00:00Z', link: 'https://exemple.fr/passe' },
    { startsAt: '2026-12-22T14:00:00Z', link: 'https://exemple.fr/plus-tard' },
    { startsAt: '2026-12-08T14:00:00Z', link: 'https://exemple.fr/prochain' },
  ];

  it('names the next webinar to come, its day and hour in Paris, and its link', () => {
    const text = resultMessage(result('libre'), webinars, now);
    expect(text).toContain('le prochain webinaire « Devenir #APTIC » a lieu le mardi 8 décembre à 15:00');
    expect(text).toContain('https://exemple.fr/prochain');
    expect(text).not.toContain('passe');
    expect(resultMessage(result('territoriale'), webinars, now)).toContain('https://exemple.fr/prochain');
  });

  it('without a webinar to come, points to the site rather than inventing a date', () => {
    const text = resultMessage(result('libre'), [], now);
    expect(text).toContain('les dates des webinaires « Devenir #APTIC » sont sur devenir.aptic.fr');
    expect(text).not.toMatch(/mardi/);
  });

  it('the configuration takes dated https links only', () => {
    expect(AppConfigSchema.parse({}).webinars).toEqual([]);
    expect(() => AppConfigSchema.parse({ webinars: [{ startsAt: '2026-12-08', link: 'https://x.fr' }] })).toThrow();
    expect(() =>
      AppConfigSchema.parse({ webinars: [{ startsAt: '2026-12-08T15:00:00+01:00', link: 'http://x.fr' }] }),
    ).toThrow();
  });
});
