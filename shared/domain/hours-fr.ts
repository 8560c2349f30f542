// Opening hours between everyday French and the OpenStreetMap `opening_hours` syntax the national schema uses.
// People write « du lundi au vendredi de 9h à 12h et de 14h à 17h30 »; the schema wants « Mo-Fr 09:00-12:00,14:00-17:30 ».
// `frenchToOsm` reads the common shapes and says when it cannot (the bot then asks again rather than storing a guess);
// `osmToFrench` turns the syntax back into words wherever people read hours (chat, map, console).
// Pure: no clock, no I/O; the result is checked by the OSM library (./opening-hours.ts) before it is returned.
import { checkOpeningHours } from './opening-hours.js';

const DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
type Day = (typeof DAYS)[number];

const DAY_WORDS: Record<string, Day> = {
  lundi: 'Mo',
  lun: 'Mo',
  mardi: 'Tu',
  mar: 'Tu',
  mercredi: 'We',
  mer: 'We',
  jeudi: 'Th',
  jeu: 'Th',
  vendredi: 'Fr',
  ven: 'Fr',
  samedi: 'Sa',
  sam: 'Sa',
  dimanche: 'Su',
  dim: 'Su',
};

const DAY_NAMES: Record<Day, string> = {
  Mo: 'lundi',
  Tu: 'mardi',
  We: 'mercredi',
  Th: 'jeudi',
  Fr: 'vendredi',
  Sa: 'samedi',
  Su: 'dimanche',
};

/** Parts of the day people name instead of hours; the bot shows the hours it took back before they are kept. */
const PERIODS: Record<string, [string, string]> = {
  matin: ['09:00', '12:00'],
  matinee: ['09:00', '12:00'],
  'apres-midi': ['14:00', '18:00'],
  aprem: ['14:00', '18:00'],
  journee: ['09:00', '18:00'],
};

export type FrenchHours = { ok: true; osm: string; french: string } | { ok: false };

interface Rule {
  days: Set<Day>;
  times: [string, string][];
}

/** Lower case, no accents, one space; « 9 h 30 » → « 9h30 », « après midi » → « apres-midi ». */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[’']/g, ' ')
    .replace(/(\d)\s*h\s*(\d{2})/g, '$1h$2')
    .replace(/(\d)\s*h\b/g, '$1h')
    .replace(/apres[\s-]?midi|aprems?\b/g, 'apres-midi')
    .replace(/\s+/g, ' ')
    .trim();
}

function time(h: string, m: string | undefined): string | null {
  const hh = Number(h);
  const mm = m ? Number(m) : 0;
  if (hh > 24 || mm > 59 || (hh === 24 && mm > 0)) return null;
  return `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}

const DAY = `(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lun|mar|mer|jeu|ven|sam|dim)s?\\.?`;
const HOUR = `(\\d{1,2})(?:h|:)(\\d{2})?`;
const HOUR_OR_NOON = `(?:${HOUR}|(midi))`;
// One token per alternative, tried in this order at each position; anything else must be a filler word.
const TOKEN = new RegExp(
  [
    `(?<range>(?:du |de )?${DAY} (?:au|a|-) ${DAY})`,
    `(?<dayDash>${DAY}-${DAY})`,
    `(?<every>tous les jours|toute la semaine|7 ?j ?(?:/|sur) ?7|7 jours sur 7)`,
    `(?<weekdays>en semaine|jours ouvres)`,
    `(?<weekend>(?:le )?week-?end)`,
    `(?<day>${DAY})`,
    `(?<span>(?:de |entre )?${HOUR_OR_NOON} ?(?:a|-|et|jusqu a) ?${HOUR_OR_NOON})`,
    `(?<period>(?:le |l )?(?:matin|matinee|apres-midi|journee)(?: continue)?)`,
    `(?<filler>le|les|la|l|et|de|du|des|au|aux|sauf|ouvert|ouverte|ouverts|horaires|:|;|,|\\.|/|\\+|&)`,
  ].join('|'),
  'y',
);

function dayRange(from: Day, to: Day): Day[] {
  const a = DAYS.indexOf(from);
  const b = DAYS.indexOf(to);
  return a <= b ? DAYS.slice(a, b + 1) : [...DAYS.slice(a), ...DAYS.slice(0, b + 1)];
}

// Capture groups of TOKEN, by position (named groups cannot repeat across alternatives on Node 20): 2–3 the days of
// a « du … au … » range, 5–6 of a « lundi-vendredi » range, 11 a single day, 13–18 a span (hour, minutes, « midi »).
function spanTimes(parts: (string | undefined)[]): [string, string] | null {
  const [h1, m1, n1, h2, m2, n2] = parts;
  const from = n1 ? '12:00' : h1 ? time(h1, m1) : null;
  const to = n2 ? '12:00' : h2 ? time(h2, m2) : null;
  if (!from || !to || from >= to) return null;
  return [from, to];
}

/** Reads everyday French opening hours; `{ ok: false }` when any part of the text is not understood. */
export function frenchToOsm(text: string): FrenchHours {
  const s = normalise(text);
  if (!s) return { ok: false };
  const rules: Rule[] = [];
  let current: Rule | null = null;
  const addDays = (days: Day[]) => {
    // Days named after hours start a new rule (« lundi 9h-12h, mardi 14h-18h »); days in a row add up.
    if (!current || current.times.length > 0) {
      current = { days: new Set(), times: [] };
      rules.push(current);
    }
    for (const d of days) current.days.add(d);
  };
  const addTimes = (t: [string, string]) => {
    if (!current) {
      current = { days: new Set(), times: [] };
      rules.push(current);
    }
    current.times.push(t);
  };
  let i = 0;
  while (i < s.length) {
    if (s[i] === ' ') {
      i++;
      continue;
    }
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(s);
    const g = m?.groups;
    if (!m || !g || m[0].length === 0) return { ok: false };
    // A token must end at a word boundary (« mardi » is not the start of « mardis-gras »).
    const end = i + m[0].length;
    if (end < s.length && /[a-z0-9]/.test(s[end] ?? '') && /[a-z0-9]$/.test(m[0])) return { ok: false };
    const days = (a: string | undefined) => DAY_WORDS[a ?? ''] as Day;
    if (g.range !== undefined) addDays(dayRange(days(m[2]), days(m[3])));
    else if (g.dayDash !== undefined) addDays(dayRange(days(m[5]), days(m[6])));
    else if (g.every !== undefined) addDays([...DAYS]);
    else if (g.weekdays !== undefined) addDays(['Mo', 'Tu', 'We', 'Th', 'Fr']);
    else if (g.weekend !== undefined) addDays(['Sa', 'Su']);
    else if (g.day !== undefined) addDays([days(m[11])]);
    else if (g.span !== undefined) {
      const t = spanTimes([m[13], m[14], m[15], m[16], m[17], m[18]]);
      if (!t) return { ok: false };
      addTimes(t);
    } else if (g.period !== undefined) {
      const word = Object.keys(PERIODS).find((p) => g.period?.includes(p)) ?? '';
      const p = PERIODS[word];
      if (!p) return { ok: false };
      addTimes(p);
    }
    i = end;
  }
  // Hours given before their days (« 9h-12h du lundi au vendredi ») belong to the days that follow them.
  const merged: Rule[] = [];
  for (let k = 0; k < rules.length; k++) {
    const r = rules[k]!;
    const next = rules[k + 1];
    if (r.days.size === 0 && next && next.times.length === 0) {
      merged.push({ days: next.days, times: r.times });
      k++;
    } else merged.push(r);
  }
  if (merged.length === 0 || merged.some((r) => r.days.size === 0 || r.times.length === 0)) return { ok: false };
  const osm = merged.map((r) => `${osmDays(r.days)} ${r.times.map(([a, b]) => `${a}-${b}`).join(',')}`).join('; ');
  if (!checkOpeningHours(osm).ok) return { ok: false };
  return { ok: true, osm, french: osmToFrench(osm) };
}

/** `Mo,Tu,We,Fr` → `Mo-We,Fr`: runs of three or more days as ranges, as OSM writers do. */
function osmDays(days: Set<Day>): string {
  const sorted = DAYS.filter((d) => days.has(d));
  const parts: string[] = [];
  let start = 0;
  for (let k = 1; k <= sorted.length; k++) {
    const prev = DAYS.indexOf(sorted[k - 1]!);
    if (k < sorted.length && DAYS.indexOf(sorted[k]!) === prev + 1) continue;
    const run = sorted.slice(start, k);
    parts.push(run.length >= 3 ? `${run[0]}-${run.at(-1)}` : run.join(','));
    start = k;
  }
  return parts.join(',');
}

function frenchTime(t: string): string {
  const [h, m] = t.split(':');
  return `${Number(h)} h${m && m !== '00' ? ` ${m}` : ''}`;
}

function frenchDays(spec: string): string | null {
  const groups = spec.split(',').map((part) => {
    const [a, b] = part.split('-') as [Day, Day | undefined];
    if (!DAY_NAMES[a] || (b !== undefined && !DAY_NAMES[b])) return null;
    return b ? `du ${DAY_NAMES[a]} au ${DAY_NAMES[b]}` : `le ${DAY_NAMES[a]}`;
  });
  if (groups.some((x) => x === null)) return null;
  return joinFr(groups as string[]);
}

function joinFr(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} et ${items.at(-1)}`;
}

/**
 * OSM opening hours in plain French (« du lundi au vendredi de 9 h à 12 h et de 14 h à 17 h 30 ; le samedi de 9 h à
 * 12 h »). A rule it does not know (public holidays, months, weeks…) is shown as written rather than mistranslated.
 */
export function osmToFrench(osm: string): string {
  const rules = osm
    .split(';')
    .map((r) => r.trim())
    .filter(Boolean);
  const out = rules.map((rule) => {
    if (rule === '24/7') return 'tous les jours, 24 h sur 24';
    const m = /^((?:Mo|Tu|We|Th|Fr|Sa|Su)(?:[-,](?:Mo|Tu|We|Th|Fr|Sa|Su))*)\s+(off|closed|[\d:,-]+)$/.exec(rule);
    if (!m) return rule;
    const days = frenchDays(m[1]!);
    if (!days) return rule;
    if (m[2] === 'off' || m[2] === 'closed') return `fermé ${days}`;
    const spans = m[2]!.split(',').map((span) => {
      const [a, b] = span.split('-');
      return a && b ? `de ${frenchTime(a)} à ${frenchTime(b)}` : null;
    });
    if (spans.some((x) => x === null)) return rule;
    return `${days} ${joinFr(spans as string[])}`;
  });
  return out.join(' ; ');
}
