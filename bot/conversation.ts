// The dialog API the rest of bot/ codes against. It mirrors Botkit's scripted conversations (say / ask / threads /
// child dialogs / before / onChange / after) so the dialogs read like Botkit dialogs, but nothing outside
// bot/engine.ts imports Botkit: replacing Botkit means re-implementing this file's interfaces, not the dialogs.

export interface QuickReply {
  title: string;
  payload: string;
}

/** One bot message as the transports send it (rendered as text by the page, never as markup). */
export interface Reply {
  text: string;
  quick_replies?: QuickReply[];
  /** The quick replies may be combined (multi-select): the page lets the user tick several, then sends "1, 3". */
  multiple?: boolean;
  /** An answer written by a person of the team (« parler à quelqu’un »): the page shows it apart. */
  from?: 'staff';
  /** A support request of this conversation waits for its first answer: the page checks for it now and then. */
  support?: 'waiting';
}

export type TurnInput = { type: 'message'; text: string } | { type: 'hello' };

/** A prompt: static or computed from the dialog's variables. */
export interface Question {
  text: string | ((vars: DialogVars) => string);
  quickReplies?: QuickReply[] | ((vars: DialogVars) => QuickReply[] | undefined);
  multiple?: boolean;
}

export type DialogVars = Record<string, unknown>;

/** The running dialog, as a handler sees it (Botkit's `convo`). */
export interface Convo {
  readonly vars: DialogVars;
  setVar(key: string, value: unknown): void;
  gotoThread(thread: string): Promise<void>;
  /** Ask the current question again (after a validation error). */
  repeat(): Promise<void>;
  stop(): Promise<void>;
}

/** The current turn, as a handler sees it (Botkit's `bot`), plus our persisted per-conversation state. */
export interface Turn<S, M> {
  readonly conversationId: string;
  /** Mutable; persisted with the dialog stack at the end of the turn. */
  readonly state: S;
  /** What the transport knows about this session (from the server-issued token). */
  readonly meta: M;
  say(reply: Reply | string): Promise<void>;
  beginDialog(id: string, options?: DialogVars): Promise<void>;
  cancelAllDialogs(): Promise<void>;
  hasActiveDialog(): boolean;
  /** Send the pending question again (after an interruption). No-op without an active dialog. */
  reprompt(): Promise<void>;
}

export type FieldHandler<S, M> = (value: unknown, convo: Convo, turn: Turn<S, M>) => Promise<void>;
export type AnswerHandler<S, M> = (answer: string | null, convo: Convo, turn: Turn<S, M>) => Promise<void>;

export interface DialogBuilder<S, M> {
  readonly id: string;
  say(message: string | Question, thread?: string): this;
  /** Ask and store the raw answer in `vars[key]`; validate it in `onChange(key)`. */
  ask(question: Question, key: string, thread?: string): this;
  /** Ask with a handler (used when the answer starts another dialog). `answer` is null when a child dialog returns. */
  askWith(question: Question, handler: AnswerHandler<S, M>, key: string | null, thread?: string): this;
  addChildDialog(dialogId: string, key?: string, thread?: string): this;
  addGotoDialog(dialogId: string, thread?: string): this;
  before(thread: string, handler: (convo: Convo, turn: Turn<S, M>) => Promise<void>): this;
  onChange(key: string, handler: FieldHandler<S, M>): this;
  /** Runs when the dialog completes normally (not when cancelled or replaced): the place for submissions. */
  after(handler: (results: DialogVars, turn: Turn<S, M>) => Promise<void>): this;
}

export interface BotDefinition<S, M> {
  dialog(id: string): DialogBuilder<S, M>;
  /** Checked before any dialog sees the message; the first test that returns true handles the turn. */
  interrupt(
    test: (text: string, turn: { state: S }) => boolean,
    handler: (turn: Turn<S, M>, text: string) => Promise<void>,
  ): void;
  /** The page (re)opened: greet, or resume the pending question. */
  onHello(handler: (turn: Turn<S, M>) => Promise<void>): void;
  /** A message with no dialog running. */
  onMessage(handler: (turn: Turn<S, M>, text: string) => Promise<void>): void;
}

/** A stored conversation and the version it was stored with. */
export interface StoredDialog {
  state: unknown;
  version: number;
}

/**
 * Where conversations are persisted (DynamoDB through the Store in production). Writes are conditional on the version
 * read, so that two instances running a turn of the same conversation at once cannot erase each other's turn.
 */
export interface DialogStateStore {
  /** null when there is none (or it expired); items stored before versions existed read as version 0. */
  get(conversationId: string): Promise<StoredDialog | null>;
  /**
   * Stores `state` if the stored version is still `expectedVersion` (0: nothing was read) and returns the new version;
   * returns null, writing nothing, when another turn stored first.
   */
  put(conversationId: string, state: unknown, ttlSeconds: number, expectedVersion: number): Promise<number | null>;
  delete(conversationId: string): Promise<void>;
}

export interface Engine<M> {
  /** Runs one turn; turns of one conversation run one after the other, in arrival order. Never throws. */
  turn(conversationId: string, input: TurnInput, meta: M): Promise<Reply[]>;
  /** Resolves when every queued turn has finished. */
  drain(): Promise<void>;
  close(): Promise<void>;
}
