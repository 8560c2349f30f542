import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../../bot/faq/knowledge-base.js';
import { createFaqMatcher } from '../../../bot/faq/matcher.js';

const kb = loadKnowledgeBase();
const matcher = createFaqMatcher(kb, { supportEmail: 'aide@example.org' });

describe('FAQ matcher', () => {
  describe('asks rather than declines (suggestions)', () => {
    it('offers up to 3 candidate topics, best first, when it declines a question close to the domain', () => {
      for (const q of ['probleme avec le pass', 'un souci avec aptic']) {
        const r = matcher.match(q);
        expect(r.topic, q).toBeNull();
        expect(r.answer, q).toContain('Je ne sais pas répondre');
        expect(r.suggestions.length, q).toBeGreaterThan(0);
        expect(r.suggestions.length, q).toBeLessThanOrEqual(3);
        expect(r.suggestions[0], q).toEqual(r.alternatives[0]);
        expect(new Set(r.suggestions.map((s) => s.topic)).size).toBe(r.suggestions.length);
      }
    });

    it('offers none when confident, for a human-only question, and for a question plainly elsewhere', () => {
      for (const q of ['combien coûte le kit', 'APTIC est en liquidation, qui me paie ?', 'recette des crêpes', '😀']) {
        const r = matcher.match(q);
        expect(r.suggestions, q).toEqual([]);
        expect(r.unsure, q).toBe(false);
      }
    });

    it('offers none when declined and the off-topic examples outrank every topic, under the higher floor', () => {
      // « mon ordi marche pas »: a personal computer problem, confidence ≈ 0.1, off-topic class first.
      const r = matcher.match('mon ordi marche pas');
      expect(r.topic).toBeNull();
      expect(r.suggestions).toEqual([]);
      const lower = createFaqMatcher(kb, { ask: { floor: 0.05, offTopicFloor: 0.05 } });
      expect(lower.match('mon ordi marche pas').suggestions.length).toBeGreaterThan(0);
    });

    it('« unsure »: answered with a close second topic, the answered topic first', () => {
      const r0 = matcher.match('des infos sur la qualif svp');
      expect(r0.topic).not.toBeNull();
      expect(r0.unsure).toBe(true);
      expect(r0.suggestions[0]?.topic).toBe(r0.topic);
      const always = createFaqMatcher(kb, { ask: { margin: 1, closeness: 0, floor: 0.1 } });
      const r = always.match('combien coûte le kit');
      expect(r.topic).toBe('cost-kit');
      expect(r.unsure).toBe(true);
      expect(r.suggestions.map((s) => s.topic)[0]).toBe('cost-kit');
      expect(r.suggestions).toHaveLength(3);
      const never = createFaqMatcher(kb, { ask: { margin: 0, closeness: 1, floor: 1, offTopicFloor: 1 } });
      expect(never.match('combien coûte le kit').suggestions).toEqual([]);
      expect(never.match('des infos sur la qualif svp').suggestions).toEqual([]);
      expect(never.match('un souci avec aptic').suggestions).toEqual([]);
    });
  });

  it('finds the way back to an application (find-my-application)', () => {
    for (const q of ['comment retrouver ma demande', 'j’ai déjà fait ma demande hier, comment je la retrouve ?']) {
      const r = matcher.match(q);
      expect(r.topic, q).toBe('find-my-application');
      expect(r.answer).toContain('/espace');
      expect(r.answer).toContain('J’ai déjà fait une demande');
    }
  });

  it('answers empty input (blank, invisible characters only) with topic null and no answer', () => {
    for (const q of ['', '   ', '\u202e\u202c', '\u200b\u200d\ufe0f']) {
      expect(matcher.match(q)).toEqual({
        topic: null,
        score: 0,
        answer: null,
        alternatives: [],
        suggestions: [],
        unsure: false,
        handover: false,
      });
    }
  });

  it('declines a question without words (emoji only, punctuation) with the « je ne sais pas » answer', () => {
    for (const q of ['😀😀', '👩‍💻', '🤔 ?', '?!']) {
      const r = matcher.match(q);
      expect(r, q).toMatchObject({ topic: null, score: 0, alternatives: [] });
      expect(r.answer, q).toContain('Je ne sais pas répondre');
      expect(r.answer, q).toContain('aide@example.org');
    }
  });

  it('declines gibberish, greetings and off-topic questions with the fallback', () => {
    for (const q of [
      'xkcd qwzzt blorp',
      'bonjour',
      'merci beaucoup',
      'quelle heure est il',
      'recette de la ratatouille',
    ]) {
      const r = matcher.match(q);
      expect(r.topic, q).toBeNull();
      expect(r.answer).toContain('Je ne sais pas répondre');
      expect(r.answer).toContain('aide@example.org');
    }
  });

  it('sends sensitive questions and other schemes to a person', () => {
    const r = matcher.match('APTIC est en liquidation, qui me paie ?');
    expect(r.topic).toBeNull();
    expect(r.answer).toContain('aide@example.org');
    expect(matcher.match('inscription aidants connect').topic).toBeNull();
  });

  it('matches a question that compares another scheme with the pass, and hands it over when it declines', () => {
    const humanAnswer = 'une personne de l’équipe vous répondra';
    // another scheme alone: for a person, with the answer that says the schemes are distinct
    const alone = matcher.match('Aidants Connect c’est quoi exactement ?');
    expect(alone).toMatchObject({ topic: null, handover: true, suggestions: [] });
    expect(alone.answer).toContain(humanAnswer);
    // beside the pass itself: an ordinary question about the pass
    expect(matcher.match('On est un espace France Services, combien coûte le kit APTIC ?').topic).toBe('cost-kit');
    expect(matcher.match('Notre maison France Services peut-elle devenir APTICulteur ?').topic).not.toBeNull();
    // compared, and no topic answers it: the same hand-over as alone, not « je ne sais pas »
    const compared = matcher.match('france services ou aptic, lequel choisir ?');
    expect(compared).toMatchObject({ topic: null, handover: true });
    expect(compared.answer).toContain(humanAnswer);
    expect(compared.answer).not.toContain('Je ne sais pas répondre');
    // without `ownNames`, another scheme always goes to a person, named beside the pass or not
    const bare = createFaqMatcher({ ...kb, humanOnly: { ...kb.humanOnly, ownNames: [] } });
    expect(bare.match('On est un espace France Services, combien coûte le kit APTIC ?')).toMatchObject({
      topic: null,
      handover: true,
    });
  });

  it('never throws on odd input', () => {
    const odd = [
      '\u0000\u0001\u0002',
      '\ud83d',
      'ا'.repeat(2000),
      '\u202epass aptic',
      'a'.repeat(100_000),
      '🧾'.repeat(600),
    ];
    for (const q of odd) expect(() => matcher.match(q)).not.toThrow();
    expect(() => matcher.match(undefined as unknown as string)).not.toThrow();
  });

  it.each([
    ['prix', 'cost-kit'],
    ['siret', 'siret-issues'],
    ['remboursement', 'reimbursement'],
    ['charte', 'charter-commitments'],
    ['douchette', 'scan-pass'],
    ['ratio consolidateur', 'ratio-consolidateur'],
  ])('copes with one-word questions: %s', (q, topic) => {
    expect(matcher.match(q).topic).toBe(topic);
  });

  it('copes with SMS spelling, missing accents and typos', () => {
    expect(matcher.match('c koi le pass aptic').topic).toBe('what-is-pass');
    expect(matcher.match('cb coute l abonement').topic).toBe('cost-kit');
    expect(matcher.match('je sui autoentrepreneur a domicil').topic).toBe('home-independent');
    expect(matcher.match('criteres d eligibilte').topic).toBe('eligibility-criteria');
  });

  it('finds the relevant sentence in a long story', () => {
    const story =
      "Bonjour, je m'occupe d'un petit centre social en Ardèche depuis quinze ans. On accueille beaucoup de " +
      'personnes âgées et de familles, on fait du café-couture et de l’aide aux devoirs. Depuis le printemps nous ' +
      'acceptons les chèques APTIC pour nos ateliers informatiques. Ma question : quand et comment le virement ' +
      'des pass scannés arrive-t-il sur notre compte ? Merci et bonne journée.';
    expect(matcher.match(story).topic).toBe('reimbursement');
  });

  it('returns a calibrated score and alternatives', () => {
    const r = matcher.match('combien vaut un pass');
    expect(r.topic).toBe('pass-value-validity');
    expect(r.score).toBeGreaterThanOrEqual(matcher.threshold);
    expect(r.score).toBeLessThanOrEqual(1);
    expect(r.alternatives).toHaveLength(3);
    for (const a of r.alternatives) expect(a.score).toBeLessThanOrEqual(r.score);
  });

  it('takes a threshold override', () => {
    expect(createFaqMatcher(kb, { threshold: 1 }).match('combien vaut un pass').topic).toBeNull();
  });
});
