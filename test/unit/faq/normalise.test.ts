import { describe, expect, it } from 'vitest';
import {
  createAnalyser,
  FRENCH_STOP_WORDS,
  MAX_INPUT_CHARS,
  normaliseText,
  stemFr,
} from '../../../bot/faq/normalise.js';

describe('FAQ French normalisation', () => {
  it('lowercases, strips accents and punctuation', () => {
    expect(normaliseText('Médiathèque  ÉLIGIBILITÉ ?!')).toBe('mediatheque eligibilite');
    expect(normaliseText('Cœur')).toBe('coeur');
  });

  it('expands SMS and informal spellings', () => {
    expect(normaliseText('c koi')).toBe('est quoi');
    expect(normaliseText('pk pq pourkoi')).toBe('pourquoi pourquoi pourquoi');
    expect(normaliseText('qd cb tt ds pr mm')).toBe('quand combien tout dans pour meme');
    expect(normaliseText('jsp stp bcp')).toBe('je ne sais pas il te plait beaucoup');
    expect(normaliseText('kwa')).toBe('quoi');
    expect(normaliseText('cmt kel doc pr une asso')).toBe('comment quel document pour une association');
    expect(normaliseText('jsuis indep')).toBe('je suis independant');
  });

  it('splits « je » glued to a verb (j + consonant), not other words', () => {
    expect(normaliseText('jvoudrai savoir, jpeux ?')).toBe('je voudrais savoir je peux');
    expect(normaliseText('jamais jardin jeudi')).toBe('jamais jardin jeudi');
  });

  it('joins auto-entrepreneur variants and other compounds', () => {
    for (const s of [
      'auto-entrepreneur',
      'auto entrepreneur',
      'autoentrepreneur',
      'micro-entreprise',
      'Micro Entrepreneuse',
    ]) {
      expect(normaliseText(s)).toBe('autoentrepreneur');
    }
    expect(normaliseText('contre-paiement')).toBe('contrepaiement');
    expect(normaliseText('code barre')).toBe('codebarre');
  });

  it('splits elisions', () => {
    expect(normaliseText("l'éligibilité d'un lieu qu'on a")).toBe('eligibilite un lieu on a');
    expect(normaliseText('j’ai l’IBAN')).toBe('ai iban');
  });

  it('never throws and strips control, bidi and zero-width characters', () => {
    expect(normaliseText('')).toBe('');
    expect(normaliseText(undefined)).toBe('');
    expect(normaliseText('\u202e\u200bsiret\u0000\u202c')).toBe('siret');
    expect(normaliseText('😀🎉')).toBe('');
    expect(normaliseText('\ud800 pass')).toBe('pass');
    expect(normaliseText('a '.repeat(5000)).length).toBeLessThanOrEqual(MAX_INPUT_CHARS);
  });

  it('removes stop words, applies synonyms and stems', () => {
    expect(FRENCH_STOP_WORDS.has('le')).toBe(true);
    expect(FRENCH_STOP_WORDS.has('combien')).toBe(false);
    expect(stemFr('remboursement')).toBe(stemFr('rembourser'));
    expect(stemFr('qualification')).toBe(stemFr('qualifications'));
    const analyse = createAnalyser({ pass: ['chèque', 'coupon'], scanner: ['douchette', 'lecteur codebarre'] });
    expect(analyse('Où utiliser mes chèques ?').words).toEqual(['utiliser', 'pass']);
    expect(analyse('le lecteur code-barre').words).toEqual(['scanner']);
    expect(analyse('la douchette').stems).toEqual([stemFr('scanner')]);
  });
});
