// Issue 14: the bot's French uses the typographic apostrophe (’) throughout; an ASCII one in a French elision
// (« l'équipe », « n'est ») in a source line of bot/ is a slip. The knowledge base (bot/faq/) has its own review, and
// the domain's messages the bot relays are converted by `typographic` (bot/answers.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { typographic } from '../../../bot/answers.js';

const ROOT = join(import.meta.dirname, '../../../bot');
const ELISION = /\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)'(?=[a-zà-ÿA-ZÀ-Ý#])/i;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'faq' ? [] : files(p);
    return /\.(ts|js|html)$/.test(e.name) ? [p] : [];
  });
}

describe('apostrophes in the bot’s French', () => {
  it('no ASCII apostrophe in a French elision outside comments', () => {
    // Prepare
    const list = files(ROOT);
    // Act
    const slips = list.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ where: `${f.slice(ROOT.length + 1)}:${i + 1}`, line }))
        .filter(({ line }) => !/^\s*(\/\/|\*|\/\*|<!--)/.test(line) && ELISION.test(line.replace(/\/\/ .*$/, ''))),
    );
    // Assess
    expect(list.length).toBeGreaterThan(20);
    expect(slips.map((s) => `${s.where}: ${s.line.trim()}`)).toEqual([]);
  });

  it('turns the domain’s ASCII apostrophes into typographic ones, between letters only', () => {
    expect(typographic("Ce numéro SIRET n'est pas valide : l'INSEE")).toBe(
      'Ce numéro SIRET n’est pas valide : l’INSEE',
    );
    expect(typographic("tapez « 'oui' »")).toBe("tapez « 'oui' »");
  });
});
