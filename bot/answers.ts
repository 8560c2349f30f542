// Reading what people type ("oui", "1, 3", "30h", "87000 Limoges") into values. Pure; the business checks (SIRET,
// communes, e-mail) are the domain's, called from bot/fields/kinds.ts.
import { matchKey } from '../shared/domain/text.js';
import type { QuickReply } from './conversation.js';

export interface Option<T = string> {
  value: T;
  /** Shown in the numbered list and, if no `short`, on the button. */
  label: string;
  short?: string;
  /** Other ways people say it (matched accent-, case- and punctuation-insensitively). */
  aliases?: string[];
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; quickReplies?: QuickReply[] };

const YES = new Set([
  'oui',
  'o',
  'yes',
  'y',
  'ouais',
  'ouai',
  'oui oui',
  'bien sur',
  'tout a fait',
  'absolument',
  'ok',
  'd accord',
  'dac',
  'exact',
  'exactement',
  'certainement',
  'evidemment',
  'oui bien sur',
  'affirmatif',
  'volontiers',
  'j accepte',
  'accepte',
  'je l accepte',
]);
const NO = new Set([
  'non',
  'n',
  'no',
  'nan',
  'nope',
  'pas du tout',
  'non merci',
  'absolument pas',
  'jamais',
  'aucunement',
  'je refuse',
  'refuse',
  'pas vraiment',
  'negatif',
]);

export function parseYesNo(text: string): boolean | null {
  const k = matchKey(text);
  if (YES.has(k) || k.startsWith('oui ')) return true;
  if (NO.has(k) || k.startsWith('non ')) return false;
  return null;
}

export const YES_NO: QuickReply[] = [
  { title: 'Oui', payload: 'oui' },
  { title: 'Non', payload: 'non' },
];

/** "Pour commencer, vous êtes :\n1. …\n2. …" */
export function numbered(prompt: string, options: readonly Option<unknown>[]): string {
  return `${prompt}\n${options.map((o, i) => `${i + 1}. ${o.label}`).join('\n')}`;
}

export function buttons(options: readonly Option<unknown>[]): QuickReply[] {
  return options.map((o, i) => ({ title: o.short ?? o.label, payload: String(i + 1) }));
}

function optionIndex(part: string, options: readonly Option<unknown>[]): number {
  const k = matchKey(part);
  if (k === '') return -1;
  if (/^\d{1,2}$/.test(k)) {
    const n = Number(k);
    return n >= 1 && n <= options.length ? n - 1 : -1;
  }
  const keys = options.map((o) => [o.label, o.short ?? '', ...(o.aliases ?? [])].map(matchKey).filter(Boolean));
  // exact, then "starts with", then "contains" (either way, for words of 4+ letters)
  let i = keys.findIndex((ks) => ks.includes(k));
  if (i >= 0) return i;
  i = keys.findIndex((ks) => ks.some((x) => x.startsWith(k) && k.length >= 3));
  if (i >= 0) return i;
  const hits = keys
    .map((ks, idx) => (ks.some((x) => (k.length >= 4 && x.includes(k)) || (x.length >= 4 && k.includes(x))) ? idx : -1))
    .filter((x) => x >= 0);
  return hits.length === 1 ? hits[0]! : -1;
}

export function parseChoice<T>(text: string, options: readonly Option<T>[]): T | null {
  const i = optionIndex(text, options);
  return i >= 0 ? options[i]!.value : null;
}

/** Several options: "1, 3", "1 et 3", "démarches; outils", or one option's label. Null when any part is unknown. */
export function parseMulti<T>(text: string, options: readonly Option<T>[]): T[] | null {
  const whole = optionIndex(text, options);
  if (whole >= 0) return [options[whole]!.value];
  const k = matchKey(text);
  let parts: string[];
  if (/^[\d\s]+$/.test(k.replace(/\bet\b/g, ' ')))
    parts = k
      .replace(/\bet\b/g, ' ')
      .split(/\s+/)
      .filter(Boolean);
  else
    parts = text
      .split(/[,;\n+]|\s+et\s+/i)
      .map((p) => p.trim())
      .filter(Boolean);
  if (parts.length === 0) return null;
  const out: T[] = [];
  for (const p of parts) {
    const i = optionIndex(p, options);
    if (i < 0) return null;
    const v = options[i]!.value;
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

const NONE = new Set(['0', 'aucun', 'aucune', 'zero', 'personne', 'pas un', 'pas une', 'rien', 'non', 'nul']);

/** A number typed with or without a unit ("30", "30h", "12,5 heures", "aucun"). */
export function parseNumber(text: string, opts: { integer: boolean }): number | null {
  const k = matchKey(text);
  if (NONE.has(k)) return 0;
  const m =
    /^\s*(\d{1,4})(?:[.,](\d{1,2}))?\s*(?:h|heures?|hrs?|eur|euros?|€|personnes?|lieux?|salaries?|benevoles?|par semaine|\/\s*semaine)?\s*\.?\s*$/i.exec(
      text.normalize('NFC'),
    );
  if (!m) return null;
  const value = Number(`${m[1]}${m[2] ? `.${m[2]}` : ''}`);
  if (opts.integer && !Number.isInteger(value)) return null;
  return value;
}

/** "87000 Limoges", "Limoges 87000", "87000, Limoges", "87 000 Limoges". */
export function splitPostalAndCommune(text: string): { cp: string; commune: string } | null {
  const t = text.normalize('NFC').trim();
  const first = /^(\d[\d\s]{3,6}\d)\s*[,-]?\s*(.*)$/.exec(t);
  if (first) return { cp: first[1]!.replace(/\s/g, ''), commune: first[2]!.trim() };
  const last = /^(.*?)[\s,(-]+(\d[\d\s]{3,6}\d)\)?$/.exec(t);
  if (last) return { cp: last[2]!.replace(/\s/g, ''), commune: last[1]!.trim() };
  return null;
}

/** A message that reads as a question rather than as an answer (for free-text questions, see fields/kinds.ts). */
export function looksLikeQuestion(text: string): boolean {
  const t = text.trim();
  if (t.endsWith('?')) return true;
  // Question openings as people type them, SMS spellings included (cb = combien, pk = pourquoi, c koi = c'est quoi).
  return /^(comment|pourquoi|pk|pq|combien|cb|cmb|qu'?est[- ]ce|c'?est quoi|c koi|c quoi|koi|quoi|kel|quel(le)?s? |qui |que |ou |où |quand |est[- ]ce que|esk|puis[- ]je|peut[- ]on|on peut|je peux|dois[- ]je|faut[- ]il|y a[- ]t[- ]il|ya |a quoi|à quoi|ça coute|ca coute|je voudrais savoir)/i.test(
    t,
  );
}
