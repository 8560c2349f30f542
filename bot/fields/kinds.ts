// The kinds of question: how each reads an answer, what it says to have it typed again, where it stores it and how
// the summary shows it. Lengths, ranges and the e-mail check are the document's (shared/domain/application.ts,
// LIMITS and isValidEmail), passed in by the catalogue; the SIRET check is shared/domain/siret.ts.
import { isValidEmail, type LengthLimit, type NumberRange } from '../../shared/domain/application.js';
import { frenchToOsm, osmToFrench } from '../../shared/domain/hours-fr.js';
import { checkOpeningHours } from '../../shared/domain/opening-hours.js';
import { validateSiret } from '../../shared/domain/siret.js';
import { cleanLine, matchKey } from '../../shared/domain/text.js';
import {
  buttons,
  numbered,
  type Option,
  parseChoice,
  parseYesNo,
  readMulti,
  readNumber,
  typographic,
  YES_NO,
} from '../answers.js';
import type { Question, QuickReply } from '../conversation.js';
import type { ChatState } from '../state.js';
import { bad, type Field, ok, type PathFor, pathOf, readSlot, type Slot, writeSlot } from './field.js';

/** What every kind is told: its key, summary label, prompt, and the rules attached to the answer. */
interface Spec<T> extends Partial<Pick<Field<T>, 'gate' | 'maxTries' | 'next' | 'note'>> {
  key: string;
  /** No label: not listed in the summary (shown with its parent). */
  label?: string;
  /** A function when the text shows dialog variables (configuration values, place number: see prompts.ts). */
  prompt: Question['text'];
  /** Another answer this one settles (e.g. « I am the legal representative » clears « mandated »). */
  also?(state: ChatState, value: T): void;
}

/** How a kind reads and shows its answer; a kind may also say its reading back (`note`, unless the spec gives one). */
type Reading<T> = Pick<Field<T>, 'question' | 'parse' | 'show' | 'note'> & { freeText?: boolean };

function build<T>(spec: Spec<T>, at: Slot<T>, reading: Reading<T>): Field<T> {
  const { key, label, gate, maxTries, next, note, also } = spec;
  return {
    key,
    label,
    path: pathOf(at),
    ...reading,
    apply: (s, v) => {
      writeSlot(s, at, v);
      also?.(s, v);
    },
    gate,
    maxTries,
    next,
    note: note ?? reading.note,
  };
}

/** The prompt followed by the numbered options (and `after`), static or computed like the prompt. */
const withOptions = (prompt: Question['text'], options: readonly Option<unknown>[], after = ''): Question['text'] =>
  typeof prompt === 'string'
    ? `${numbered(prompt, options)}${after}`
    : (vars) => `${numbered(prompt(vars), options)}${after}`;

const showOption = (options: readonly Option<unknown>[], v: unknown) =>
  options.find((o) => o.value === v)?.label ?? String(v);

// ─── closed answers ────────────────────────────────────────────────────────────────────────────────────────────

export function yesNo(spec: Spec<boolean> & { at: PathFor<boolean> }): Field<boolean> {
  return build(spec, spec.at, {
    question: { text: spec.prompt, quickReplies: YES_NO },
    parse: (t) => {
      const v = parseYesNo(t);
      if (v !== null) return ok(v);
      // « 1 » / « 2 » as at the numbered questions: the buttons' order, said back before it is kept.
      const n = t.trim().replace(/[.)]$/, '');
      if (n === '1' || n === '2')
        return {
          ok: true,
          value: n === '1',
          confirm: `J’ai compris « ${n === '1' ? 'oui' : 'non'} », c’est bien ça ?`,
        };
      return bad('Répondez par « oui » ou « non ».', YES_NO);
    },
    show: (s) => {
      const v = readSlot(s, spec.at);
      return typeof v === 'boolean' ? (v ? 'oui' : 'non') : null;
    },
  });
}

export function choice<T extends string>(
  spec: Spec<T> & {
    options: readonly Option<T>[];
    at: Slot<T>;
    /** The re-prompt when the answer matches no option. */
    retry?: string;
  },
): Field<T> {
  const { options } = spec;
  const retry = spec.retry ?? 'Choisissez une des réponses proposées (vous pouvez taper son numéro).';
  return build(spec, spec.at, {
    question: {
      text: withOptions(spec.prompt, options),
      quickReplies: buttons(options),
    },
    parse: (t) => {
      const v = parseChoice(t, options);
      return v === null ? bad(retry, buttons(options)) : ok(v);
    },
    show: (s) => {
      const v = readSlot(s, spec.at);
      return typeof v === 'string' ? showOption(options, v) : null;
    },
  });
}

export function multi<T extends string>(
  spec: Spec<T[]> & { options: readonly Option<T>[]; at: Slot<T[]> },
): Field<T[]> {
  const { options } = spec;
  return build(spec, spec.at, {
    question: {
      text: withOptions(spec.prompt, options, '\n(Plusieurs réponses possibles : tapez par exemple « 1, 3 ».)'),
      quickReplies: buttons(options),
      multiple: true,
    },
    parse: (t) => {
      const r = readMulti(t, options);
      if (r === null || r.values.length === 0)
        return bad(
          'Je n’ai pas reconnu votre choix : indiquez un ou plusieurs numéros de la liste, séparés par des virgules.',
          buttons(options),
        );
      if (r.sure) return ok(r.values);
      const read = r.values.map((x) => showOption(options, x)).join(' ; ');
      return { ok: true, value: r.values, confirm: `J’ai compris : ${read}. C’est bien ça ?` };
    },
    show: (s) => {
      const v = readSlot(s, spec.at);
      return Array.isArray(v) && v.length ? v.map((x) => showOption(options, x)).join(' ; ') : null;
    },
  });
}

// ─── numbers and free text ─────────────────────────────────────────────────────────────────────────────────────

export function number(
  spec: Spec<number> & {
    at: PathFor<number>;
    range: NumberRange;
    unit?: string;
    /** Wording of the re-prompts when the defaults (« Indiquez un nombre entre … ») do not fit. */
    messages?: { notNumber?: string; tooLow?: string; tooHigh?: string };
  },
): Field<number> {
  const { range, unit, messages = {} } = spec;
  const outOfRange = `Indiquez un nombre entre ${range.min} et ${range.max}${unit ? ` ${unit}` : ''}.`;
  return build(spec, spec.at, {
    question: { text: spec.prompt },
    parse: (t) => {
      const r = readNumber(t, { integer: range.integer });
      const v = r?.value ?? null;
      if (v === null)
        return bad(
          messages.notNumber ??
            `Indiquez un nombre${range.integer ? ' entier' : ''} (par exemple « ${Math.min(range.max, 2)} »).`,
        );
      if (v > range.max) return bad(messages.tooHigh ?? outOfRange);
      if (v < range.min) return bad(messages.tooLow ?? outOfRange);
      return r?.approx
        ? { ok: true, value: v, confirm: `J’ai compris ${v}${unit ? ` ${unit}` : ''}, c’est bien ça ?` }
        : ok(v);
    },
    show: (s) => {
      const v = readSlot(s, spec.at);
      return typeof v === 'number' ? `${v}${unit ? ` ${unit}` : ''}` : null;
    },
  });
}

/** One line of free text; an answer that reads like a question goes to the FAQ first (freeText). */
export function text(
  spec: Spec<string> & {
    at: PathFor<string>;
    limits: LengthLimit;
    /** Subject of the default re-prompts: « Le nom : au moins 2 caractères… ». */
    what: string;
    messages?: { tooShort?: string; tooLong?: string };
  },
): Field<string> {
  const { limits, what, messages = {} } = spec;
  return build(spec, spec.at, {
    question: { text: spec.prompt },
    freeText: true,
    parse: (t) => {
      const v = cleanLine(t);
      if (v.length < limits.min)
        return bad(messages.tooShort ?? `${what} : au moins ${limits.min} caractères, s’il vous plaît.`);
      if (v.length > limits.max)
        return bad(messages.tooLong ?? `${what} : ${limits.max} caractères au maximum, s’il vous plaît.`);
      return ok(v);
    },
    show: (s) => {
      const v = readSlot(s, spec.at);
      return typeof v === 'string' ? v : null;
    },
  });
}

/** Kept in lower case (the domain keeps the case it is given). */
export function email(spec: Spec<string> & { at: PathFor<string> }): Field<string> {
  return build(spec, spec.at, {
    question: { text: spec.prompt },
    parse: (t) => {
      const v = cleanLine(t).toLowerCase();
      return isValidEmail(v)
        ? ok(v)
        : bad('Cette adresse e-mail ne semble pas valide (exemple : prenom.nom@structure.fr).');
    },
    show: (s) => {
      const v = readSlot(s, spec.at);
      return typeof v === 'string' ? v : null;
    },
  });
}

/**
 * Opening hours, stored in the OpenStreetMap syntax the national schema uses: typed as such, or in everyday French
 * (« du lundi au vendredi de 9h à 12h ») and turned into it, then said back in plain French (the summary lets the
 * actor correct it). Text that reads as neither is asked again, never stored as a guess; « passer » leaves it empty.
 */
export function hours(spec: Spec<string | null> & { at: PathFor<string | null>; max: number }): Field<string | null> {
  return build(spec, spec.at, {
    question: { text: spec.prompt, quickReplies: [{ title: 'Passer', payload: 'passer' }] },
    freeText: true,
    parse: (t) => {
      const v = cleanLine(t);
      if (/^(passer|je ne sais pas|sais pas|plus tard)$/.test(matchKey(v))) return ok(null);
      if (v.length > spec.max) return bad(`Les horaires : ${spec.max} caractères au maximum, s’il vous plaît.`);
      if (checkOpeningHours(v).ok) return ok(v);
      const read = frenchToOsm(v);
      if (read.ok) return ok(read.osm);
      return bad(
        'Je n’ai pas bien compris ces horaires. Écrivez-les par exemple ainsi : « du lundi au vendredi de 9h à 12h et de 14h à 17h30 », ou « passer ».',
        [{ title: 'Passer', payload: 'passer' }],
      );
    },
    note: (v) => (v ? `J’ai noté : ${osmToFrench(v)}. Vous pourrez le corriger dans le récapitulatif.` : null),
    show: (s) => {
      const v = readSlot(s, spec.at);
      return typeof v === 'string' ? osmToFrench(v) : null;
    },
  });
}

// ─── SIRET ─────────────────────────────────────────────────────────────────────────────────────────────────────

export const NO_SIRET = 'Je n’ai pas de SIRET';
const NO_SIRET_BUTTON: QuickReply[] = [{ title: NO_SIRET, payload: 'pas de siret' }];

/** Where a structure finds its SIRET: the public company directory. */
export const FIND_SIRET =
  'Vous le trouverez sur l’Annuaire des Entreprises (annuaire-entreprises.data.gouv.fr) en cherchant le nom ou la commune de votre structure : c’est le numéro à 14 chiffres de l’établissement.';

/** What « je n'ai pas de SIRET » means, asked before the questionnaire stops (a number typed instead is read). */
const NO_SIRET_MEANS = `Sans SIRET, la qualification n’est pas possible : il est obligatoire (un numéro RNA seul ne suffit pas), et la demande s’arrêterait là. ${FIND_SIRET}\nSi vous le retrouvez, tapez-le simplement. Votre structure n’a vraiment pas de SIRET ?`;

/** 14 digits checked by the domain (Luhn, SIREN typed instead…), or null when the structure has none. */
export function siret(spec: Spec<string | null> & { at: PathFor<string | null> }): Field<string | null> {
  return build(spec, spec.at, {
    question: { text: spec.prompt, quickReplies: NO_SIRET_BUTTON },
    parse: (t) => {
      const k = matchKey(t);
      if (
        /^(je n a pas de siret|pas de siret|aucun siret|je n en ai pas|non|aucun|pas encore)$/.test(k) ||
        k === matchKey(NO_SIRET)
      )
        return { ok: true, value: null, confirm: NO_SIRET_MEANS };
      if (/^\d{9,14}$/.test(t.replace(/[\s.\-_]/g, '')) === false && !/\d{5}/.test(t))
        return bad(
          `Le SIRET doit comporter 14 chiffres (les espaces et les points sont acceptés). ${FIND_SIRET}`,
          NO_SIRET_BUTTON,
        );
      const r = validateSiret(t);
      return r.ok ? ok(r.siret) : bad(`${typographic(r.message)} ${FIND_SIRET}`, NO_SIRET_BUTTON);
    },
    show: (s) => {
      const v = readSlot(s, spec.at);
      return typeof v === 'string' ? v : v === null ? 'aucun' : null;
    },
  });
}
