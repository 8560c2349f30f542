// Text helpers shared by validation and matching. Pure.

// C0/C1 controls (tab/newline handled separately), zero-width and BOM characters, and the bidi embeddings/overrides/
// isolates (U+202A–U+202E, U+2066–U+2069) and marks (U+200E/U+200F, U+061C) that can disguise text ("Trojan source").
// The zero-width joiner (U+200D) is not in this list: it is handled by ZWJ_OUTSIDE_EMOJI below.
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u061C]/g;
// U+200D joins emoji into one picture (👩‍💻 = 👩 ZWJ 💻, 👨‍👩‍👧, 🏳️‍🌈): kept between an emoji (or its skin-tone modifier
// or emoji presentation selector U+FE0F) and the next emoji, removed anywhere else, where it is only a way to hide a
// character inside a word.
const ZWJ_OUTSIDE_EMOJI =
  /(?<!\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

/** Invisible and control characters removed, emoji sequences kept whole. */
function stripInvisible(input: string): string {
  return input.replace(INVISIBLE, '').replace(ZWJ_OUTSIDE_EMOJI, '');
}
const LINE_BREAKS = /[\t\r\n\u2028\u2029]+/g;
const SPACES = /[\s\u00A0\u202F]+/g;

/** One-line free text: NFC, invisible/control characters removed, whitespace collapsed, trimmed. Markup is kept as text. */
export function cleanLine(input: string): string {
  return stripInvisible(input.normalize('NFC')).replace(LINE_BREAKS, ' ').replace(SPACES, ' ').trim();
}

/** Multi-line free text: like cleanLine but keeps line breaks (normalised to \n, at most one blank line). */
export function cleanMultiline(input: string): string {
  return input
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .replace(ZWJ_OUTSIDE_EMOJI, '')
    .split('\n')
    .map((l) =>
      l
        .replace(/[\t\u2028\u2029]/g, ' ')
        .replace(SPACES, ' ')
        .trim(),
    )
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Key for accent-, case-, punctuation-insensitive matching ("St-Étienne" ≡ "saint etienne", "L'Haÿ" ≡ "l hay").
 * "St"/"Ste" become "saint"/"sainte"; œ/æ are expanded.
 */
export function matchKey(input: string): string {
  const base = input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  if (base === '') return base;
  return base
    .split(' ')
    .map((w) => (w === 'st' ? 'saint' : w === 'ste' ? 'sainte' : w))
    .join(' ');
}

/** Levenshtein distance with an early exit above `max` (returns max + 1). */
export function boundedLevenshtein(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}
