// What a question of the questionnaire is (Field) and where its answer lives (a path like the application
// document's). Paths are typed against the draft (bot/state.ts): a path that does not exist, or that a kind would fill
// with the wrong type, does not compile; test/unit/bot/fields.test.ts checks that each one reaches the document.
import type { AppConfig } from '../../shared/config/config.js';
import type { ReasonCode } from '../../shared/domain/reasons.js';
import type { Parsed } from '../answers.js';
import type { Question, QuickReply } from '../conversation.js';
import type { ChatState, Draft, LieuDraft } from '../state.js';

export interface FieldContext {
  config: AppConfig;
  state: ChatState;
}

export interface Field<T = unknown> {
  key: string;
  /** Label in the summary; no label = not listed (e.g. follow-ups shown with their parent). */
  label?: string;
  /** Where the answer is stored; absent when one answer fills several places (see `apply`). */
  path?: AnswerPath;
  /** Text and buttons may depend on the dialog variables (`_cfg`: see prompts.ts). */
  question: Question;
  parse(text: string, ctx: FieldContext): Parsed<T>;
  apply(state: ChatState, value: T): void;
  /** A hard prerequisite that this answer fails (eligibility.md G): the questionnaire stops with this reason. */
  gate?(value: T, state: ChatState): ReasonCode | null;
  /** After this many invalid answers, stop with this reason (unused since issue 14: the SIRET keeps asking). */
  maxTries?: { tries: number; reason: ReasonCode };
  /** Thread to continue with (branching inside a section dialog). */
  next?(value: T, state: ChatState): string | null;
  /** Information to give right after a valid answer (e.g. the régie for public structures). */
  note?(value: T, state: ChatState): string | null;
  show?(state: ChatState): string | null;
  /** Free text: an answer that reads like a question is first tried on the FAQ. */
  freeText?: boolean;
}

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const bad = (message: string, quickReplies?: QuickReply[]): Parsed<never> => ({
  ok: false,
  message,
  ...(quickReplies ? { quickReplies } : {}),
});

// ─── paths ─────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The draft's sections as the document names them, plus `lieu`: the place being entered, which the places dialog
 * appends to `draft.lieux` (so ['lieu', 'adresse'] ends up as `lieux[n].adresse`).
 */
type Answers = Omit<Draft, 'lieux'> & { lieu: LieuDraft };
type Section = keyof Answers;
type KeyOf<S extends Section> = keyof Answers[S] & string;

/** Any answer path: ['structure', 'nom'], ['activite', 'heures_accueil_hebdo'], ['lieu', 'commune']… */
export type AnswerPath = { [S in Section]: { [K in KeyOf<S>]-?: readonly [S, K] }[KeyOf<S>] }[Section];

/** The paths whose slot can hold a V (what a kind writes there): ['structure', 'nom'] is a PathFor<string>. */
export type PathFor<V> = {
  [S in Section]: {
    [K in KeyOf<S>]-?: [V] extends [Exclude<Answers[S][K], undefined>] ? readonly [S, K] : never;
  }[KeyOf<S>];
}[Section];

const sectionOf = (state: ChatState, section: Section): Record<string, unknown> =>
  (section === 'lieu' ? state.lieu : state.draft[section]) as Record<string, unknown>;

/**
 * The stored answer, or undefined. Typed `unknown` on purpose: a slot may be wider than what one kind writes (a
 * string slot for a choice), so readers narrow (`typeof v === 'string'`) instead of trusting a cast.
 */
export function getAt(state: ChatState, path: AnswerPath): unknown {
  return sectionOf(state, path[0])[path[1]];
}

export function setAt<V>(state: ChatState, path: PathFor<V>, value: V): void {
  sectionOf(state, path[0])[path[1]] = value;
}

/** Where a kind keeps its answer: a path, or a translation when the stored form differs from the answer. */
export type Slot<V> =
  | PathFor<V>
  | { path?: AnswerPath; read(state: ChatState): unknown; write(state: ChatState, value: V): void };

const isPath = <V>(slot: Slot<V>): slot is PathFor<V> => Array.isArray(slot);

export const pathOf = <V>(slot: Slot<V>): AnswerPath | undefined => (isPath(slot) ? slot : slot.path);

export const readSlot = (state: ChatState, slot: AnswerPath | { read(state: ChatState): unknown }): unknown =>
  Array.isArray(slot) ? getAt(state, slot as AnswerPath) : (slot as { read(state: ChatState): unknown }).read(state);

export function writeSlot<V>(state: ChatState, slot: Slot<V>, value: V): void {
  if (isPath(slot)) setAt(state, slot, value);
  else slot.write(state, value);
}
