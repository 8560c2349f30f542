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

/**
 * A reading of an answer. `confirm`: the reading is uncertain (« environ 25h », « 1 » at a Oui/Non question…): the
 * form says it back with this question and keeps the value only on « oui » (bot/dialogs/form.ts).
 */
export type Parsed<T> =
  | { ok: true; value: T; confirm?: string }
  | { ok: false; message: string; quickReplies?: QuickReply[] };

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
  const r = readMulti(text, options);
  return r?.sure ? r.values : null;
}

/**
 * Several options, and whether the reading is sure: an exact label, numbers or a list of option words are; option
 * words found inside a sentence (« on accueille surtout des sourds et des étrangers ») are not, and the form asks.
 * Each listed part counts before the whole text, so « moteur et illettrisme » keeps both.
 */
export function readMulti<T>(text: string, options: readonly Option<T>[]): { values: T[]; sure: boolean } | null {
  const k = matchKey(text);
  if (k === '') return null;
  const keys = options.map((o) => [o.label, o.short ?? '', ...(o.aliases ?? [])].map(matchKey).filter(Boolean));
  const exact = keys.findIndex((ks) => ks.includes(k));
  if (exact >= 0) return { values: [options[exact]!.value], sure: true };
  let parts: string[];
  if (/^[\d\s]+$/.test(k.replace(/\bet\b/g, ' ')))
    parts = k
      .replace(/\bet\b/g, ' ')
      .split(/\s+/)
      .filter(Boolean);
  else
    parts = text
      .split(/[,;\n+]|\s+et\s+|\s+ou\s+/i)
      .map((p) => p.trim())
      .filter(Boolean);
  const listed: T[] = [];
  for (const p of parts) {
    const i = optionIndex(p, options);
    if (i < 0) {
      listed.length = 0;
      break;
    }
    if (!listed.includes(options[i]!.value)) listed.push(options[i]!.value);
  }
  if (listed.length) return { values: listed, sure: true };
  // Option words inside a sentence: the options whose distinctive words (5+ letters, in one option only, from keys of
  // at most three words: « moteur » of « handicaps moteurs », not « handicaps » nor « situations ») the text has.
  const stem = (w: string) => w.replace(/s$/, '');
  const said = new Set(k.split(' ').map(stem));
  const wordsOf = keys.map(
    (ks) =>
      new Set(
        ks
          .filter((key) => key.split(' ').length <= 3)
          .flatMap((key) =>
            key
              .split(' ')
              .filter((w) => w.length >= 5)
              .map(stem),
          ),
      ),
  );
  const distinctive = (w: string) => wordsOf.filter((ws) => ws.has(w)).length === 1;
  const found = options
    .filter((_, i) => [...wordsOf[i]!].some((w) => distinctive(w) && said.has(w)))
    .map((o) => o.value);
  return found.length ? { values: found, sure: false } : null;
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

const ABOUT = /^(environ|a peu pres|approximativement|autour de|vers|presque|plus ou moins|pres de|dans les|env|~)\s+/;
const ROUGHLY: Record<string, number> = {
  dizaine: 10,
  douzaine: 12,
  quinzaine: 15,
  vingtaine: 20,
  trentaine: 30,
  quarantaine: 40,
  cinquantaine: 50,
  soixantaine: 60,
  centaine: 100,
};

/**
 * A number as people type it: exact (« 25 », « 25 heures », parseNumber), or approximate (« environ 25h »,
 * « 25h à peu près », « une vingtaine »), which the form says back before keeping it.
 */
export function readNumber(text: string, opts: { integer: boolean }): { value: number; approx: boolean } | null {
  const exact = parseNumber(text, opts);
  if (exact !== null) return { value: exact, approx: false };
  let k = matchKey(text.replace(/~/g, ' environ '));
  const before = k;
  k = k.replace(ABOUT, '').replace(/\s+(environ|a peu pres|approximativement|en gros|grosso modo)$/, '');
  const word = /^(?:une?\s+)?(\w+aine)(?:\s+d\s?\w+)?(?:\s+(?:h|heures?|par semaine))?$/.exec(k);
  if (word && ROUGHLY[word[1]!] !== undefined) return { value: ROUGHLY[word[1]!]!, approx: true };
  if (k === before) return null;
  // matchKey dropped the decimal comma: read the digits of the original text instead.
  const digits = /(\d{1,4})(?:[.,](\d{1,2}))?/.exec(text);
  if (!digits || !/^\d+(\s\d{1,2})?(\s*(h|heures?|hrs?|eur|euros?|personnes?|lieux?|par semaine))*$/.test(k))
    return null;
  const value = Number(`${digits[1]}${digits[2] ? `.${digits[2]}` : ''}`);
  if (opts.integer && !Number.isInteger(value)) return null;
  return { value, approx: true };
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

/**
 * The typographic apostrophe of the bot's French (« l’équipe »), also for the domain's messages the bot relays
 * (shared/domain writes « n'est »): only between two letters, so quotes and code stay as they are.
 */
export const typographic = (text: string): string => text.replace(/(\p{L})'(?=\p{L})/gu, '$1’');

/** « comment je retrouve ma demande », « j'ai déjà fait ma demande hier » : the way back to the actor space. */
export function looksLikeSignIn(text: string): boolean {
  const k = matchKey(text);
  return (
    /\b(retrouv\w*|reprendre|recuperer|acceder a)\b.*\b(demande|dossier|espace)\b/.test(k) ||
    /\b(demande|dossier)\b.*\bretrouv\w*/.test(k) ||
    /\bdeja (fait|depose|envoye|rempli) (une|ma|la|notre) demande\b/.test(k)
  );
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
