// C5b: the place's postal code and commune, checked against the official list (shared/domain/geography.ts), with
// the candidates as buttons when the answer is ambiguous or misspelt.
import { communesForPostalCode, resolveCommune } from '../../shared/domain/geography.js';
import { type Parsed, splitPostalAndCommune } from '../answers.js';
import type { QuickReply } from '../conversation.js';
import { bad, type Field, ok, setAt } from './field.js';

export type PostalCommune = { cp: string; commune: string };

/** "87000 Limoges" → the official name; a bare postal code → its only commune, or a choice among them. */
export function parseCommune(text: string): Parsed<PostalCommune> {
  const split = splitPostalAndCommune(text);
  if (!split) {
    return bad('Indiquez le code postal (5 chiffres) puis la commune, par exemple « 87000 Limoges ».');
  }
  if (!/^\d{5}$/.test(split.cp)) return bad('Le code postal doit comporter 5 chiffres.');
  if (split.commune === '') {
    const communes = communesForPostalCode(split.cp);
    if (communes.length === 1) return ok({ cp: split.cp, commune: communes[0]!.nom });
    if (communes.length === 0) return bad(`Le code postal ${split.cp} est inconnu : vérifiez-le.`);
    return bad(
      `Plusieurs communes ont le code postal ${split.cp}. Laquelle ?`,
      communes.slice(0, 12).map((c) => ({ title: c.nom, payload: `${split.cp} ${c.nom}` })),
    );
  }
  const r = resolveCommune(split.cp, split.commune);
  if (r.ok) return ok({ cp: split.cp, commune: r.commune.nom });
  const suggestions: QuickReply[] = [];
  for (const s of r.suggestions.slice(0, 12)) {
    // "Limoges (87000, 87100)" when the postal code was unknown; a bare name when the commune did not match
    const m = /^(.*) \(([\d, ]+)\)$/.exec(s);
    if (m)
      for (const cp of m[2]!.split(/,\s*/).slice(0, 4))
        suggestions.push({ title: `${cp} ${m[1]}`, payload: `${cp} ${m[1]}` });
    else suggestions.push({ title: s, payload: `${split.cp} ${s}` });
  }
  return bad(r.message, suggestions.length ? suggestions.slice(0, 12) : undefined);
}

/** The place's postal code and commune, one answer for two slots (lieux[n].code_postal and .commune). */
export function communeField(key: string, prompt: string): Field<PostalCommune> {
  return {
    key,
    question: { text: prompt },
    parse: (t) => parseCommune(t),
    apply: (s, v) => {
      setAt(s, ['lieu', 'code_postal'], v.cp);
      setAt(s, ['lieu', 'commune'], v.commune);
    },
  };
}
