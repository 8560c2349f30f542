import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.js';
import { normalisePhone } from '../../../shared/domain/phone.js';
import { boundedLevenshtein, cleanLine, cleanMultiline, matchKey } from '../../../shared/domain/text.js';

describe('text helpers', () => {
  it('cleanLine strips controls, zero-width and bidi characters, collapses spaces', () => {
    expect(cleanLine('  a\u0000b\u202Ac\u202Ed\u2066e\u2069f\u200Bg\uFEFF \t\n h  ')).toBe('abcdefg h');
  });
  it('cleanMultiline keeps line breaks', () => {
    expect(cleanMultiline('Lu 9h\r\n\r\n\r\n\r\nMa\u202E 10h ')).toBe('Lu 9h\n\nMa 10h');
  });
  it('matchKey ignores accents, case, punctuation and expands St/Ste', () => {
    expect(matchKey('St-Étienne')).toBe('saint etienne');
    expect(matchKey('Ste Marie')).toBe('sainte marie');
    expect(matchKey("Ligue de l'Enseignement")).toBe(matchKey('ligue de l enseignement'));
    expect(matchKey('Œuilly')).toBe('oeuilly');
  });
  it('boundedLevenshtein', () => {
    expect(boundedLevenshtein('limoge', 'limoges', 2)).toBe(1);
    expect(boundedLevenshtein('paris', 'lyon', 2)).toBe(3);
  });
  it('normalisePhone', () => {
    expect(normalisePhone('06 12 34 56 78')).toBe('+33612345678');
    expect(normalisePhone('0596 12 34 56')).toBe('+596596123456');
    expect(normalisePhone('+33555000000')).toBe('+33555000000');
    expect(normalisePhone('123')).toBeNull();
  });
  it('ValidationError carries issues and a code', () => {
    const e = new ValidationError([{ path: 'a', message: 'b' }]);
    expect(e).toMatchObject({
      name: 'ValidationError',
      code: 'validation_failed',
      issues: [{ path: 'a', message: 'b' }],
    });
    expect(e).toBeInstanceOf(Error);
  });
});

describe('text clean-up and emoji sequences', () => {
  it('keeps the zero-width joiner inside emoji sequences', () => {
    for (const emoji of ['👩‍💻', '👨‍👩‍👧', '🏳️‍🌈', '👩🏽‍🔧', '❤️‍🔥']) {
      expect(cleanLine(`Atelier ${emoji} ouvert`)).toBe(`Atelier ${emoji} ouvert`);
      expect(cleanMultiline(`Ligne 1\nAtelier ${emoji}`)).toBe(`Ligne 1\nAtelier ${emoji}`);
    }
  });

  it('still removes the joiner elsewhere, and every other invisible or bidi control', () => {
    expect(cleanLine('si\u200Dret')).toBe('siret');
    expect(cleanLine('\u200D👩')).toBe('👩');
    expect(cleanLine('👩\u200D')).toBe('👩');
    expect(cleanLine('👩\u200Da')).toBe('👩a');
    expect(cleanLine('a\u200C\u200B\u2060b\u202E\u2066c\u200E\u061C')).toBe('abc');
    // A bidi override between two emoji is removed; the joiner then joins them as the sender's sequence meant.
    expect(cleanLine('👩\u202E\u200D💻')).toBe('👩‍💻');
  });
});
