/**
 * Search tokens of an application (console search): pure, so the store indexes and the use case queries with the
 * same normalisation. Words are lower-cased and stripped of accents; a SIRET is its 14 digits whatever the spacing;
 * an e-mail is kept whole (and its local part); the id is kept whole for id-prefix lookups.
 */

/** Lower case, accents removed (NFD + combining marks dropped), ligatures spelled out. */
export function foldText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/Œ/g, 'OE')
    .replace(/Æ/g, 'AE')
    .toLowerCase();
}

/** The words of a text: folded, split on anything not a letter or a digit, 2 characters at least. */
export function wordsOf(s: string): string[] {
  return foldText(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2);
}

/** Longest token kept (DynamoDB sort keys allow 1 KiB; search never needs more). */
const MAX_TOKEN = 80;

interface Searchable {
  id: string;
  siret: string | null;
  document: unknown;
}

/** Every token an application is found by: name, place names and communes, e-mail, SIRET (and SIREN), id. */
export function applicationTokens(app: Searchable): string[] {
  const doc = (app.document ?? {}) as {
    structure?: { nom?: unknown; siret?: unknown; representant_legal?: { courriel?: unknown; nom?: unknown } };
    lieux?: { nom?: unknown; commune?: unknown }[];
  };
  const out = new Set<string>();
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  for (const w of wordsOf(text(doc.structure?.nom))) out.add(w);
  for (const lieu of Array.isArray(doc.lieux) ? doc.lieux : []) {
    for (const w of wordsOf(text(lieu?.nom))) out.add(w);
    for (const w of wordsOf(text(lieu?.commune))) out.add(w);
  }
  const email = foldText(text(doc.structure?.representant_legal?.courriel)).trim();
  if (email) {
    out.add(email);
    for (const w of wordsOf(email.split('@')[0] ?? '')) out.add(w);
  }
  const siret = (app.siret ?? text(doc.structure?.siret)).replace(/\D/g, '');
  if (siret) out.add(siret);
  out.add(app.id.toLowerCase());
  return [...out].map((t) => t.slice(0, MAX_TOKEN));
}

/**
 * How a query is looked up: `whole` prefixes (a SIRET typed with spaces, an e-mail, an id) each find applications on
 * their own; `words` must all match (each as a prefix of some token) for an application to be found by them.
 */
export function queryTokens(q: string): { whole: string[]; words: string[] } {
  const trimmed = q.trim();
  const whole = new Set<string>();
  const digits = trimmed.replace(/[\s.\-_]/g, '');
  if (/^\d{3,14}$/.test(digits)) whole.add(digits);
  const folded = foldText(trimmed).replace(/\s+/g, '');
  if (folded.includes('@')) whole.add(folded.slice(0, MAX_TOKEN));
  else if (/^[a-z0-9-]{4,}$/.test(folded)) whole.add(folded.slice(0, MAX_TOKEN));
  const words = wordsOf(trimmed).map((w) => w.slice(0, MAX_TOKEN));
  return { whole: [...whole], words };
}
