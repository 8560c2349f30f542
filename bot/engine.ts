// Over 400 lines on purpose: it is the one module that holds Botkit and the mends of its gaps; splitting it would
// spread the framework that we keep in one file so that it can be replaced.
// The only module that imports Botkit / Bot Framework. Botkit is unmaintained and the Bot Framework SDK under it lost
// support at the end of 2025, so it stays behind the interfaces of ./conversation.ts: dialogs, transports and the page
// never see a Botkit type, and replacing Botkit means rewriting this file only.
//
// How Botkit is driven here (and why not with its web adapter):
// - botbuilder-adapter-web keys conversations by the `user` the client sends (identity spoofing), starts its own
//   websocket server with a 30 s interval that is never cleared, and in webhook mode only answers after the whole
//   turn through express. We give Botkit our own BotAdapter subclass instead: `turn()` builds the activity from the
//   conversation id the *server* derived from its session token, runs Botkit's `handleTurn`, and returns the replies
//   that `sendActivities` collected in the turn state (the web adapter's webhook mode does the same with `httpBody`).
//   Transports (HTTP, websocket, Lambda) then send those replies themselves.
// - `disable_webserver: true`: Botkit never listens on PORT/3000.
// - Dialog state goes through a botbuilder `Storage` backed by our DialogStateStore (DynamoDB in production), so a
//   conversation resumes on another Lambda instance or after a restart. A turn stores its state once, at its end,
//   conditional on the version it read; a turn that lost that race to another instance runs again on the new state.
// - Turns of one conversation are serialized (KeyedQueue) within a process; a throwing handler becomes an apology,
//   never a crash.
// - Script texts go through mustache inside Botkit; every text we hand it is wrapped so mustache leaves it verbatim
//   (user input such as "{{vars.x}}" is displayed, never expanded).
import {
  ActivityTypes,
  BotAdapter,
  type ConversationReference,
  type ResourceResponse,
  type Storage,
  type StoreItems,
  TurnContext,
} from 'botbuilder';
import { type DialogContext, DialogTurnStatus } from 'botbuilder-dialogs';
import { Botkit, BotkitConversation, type BotWorker } from 'botkit';
import type {
  AnswerHandler,
  BotDefinition,
  Convo,
  DialogBuilder,
  DialogStateStore,
  DialogVars,
  Engine,
  FieldHandler,
  Question,
  QuickReply,
  Reply,
  Turn,
  TurnInput,
} from './conversation.js';
import { KeyedQueue } from './queue.js';

const CHANNEL = 'aptic';
const REPLIES = Symbol('aptic.replies');
const META = Symbol('aptic.meta');
const TURN = Symbol('aptic.turn');
const STATE_PROPERTY = 'aptic';
/** One run plus re-runs after losing a race to another instance (each lost race means another turn was stored). */
export const MAX_TURN_ATTEMPTS = 3;

// Mustache only sees a "set delimiters" tag followed by text without those delimiters: nothing is expanded.
// \u0001/\u0002 cannot come from users (control characters are refused or stripped before a turn).
const VERBATIM = '{{=\u0001 \u0002=}}';
// biome-ignore lint/suspicious/noControlCharactersInRegex: the two delimiter characters must never reach mustache
const DELIMITERS = /[\u0001\u0002]/g;
export const verbatim = (text: string): string => VERBATIM + text.replace(DELIMITERS, '');

/** Collects outgoing activities in the turn state instead of sending them anywhere. */
class CollectingAdapter extends BotAdapter {
  readonly name = 'aptic-collecting-adapter';

  async sendActivities(
    context: TurnContext,
    activities: Partial<import('botbuilder').Activity>[],
  ): Promise<ResourceResponse[]> {
    const out = context.turnState.get(REPLIES) as Partial<import('botbuilder').Activity>[] | undefined;
    for (const a of activities) if (a.type === undefined || a.type === ActivityTypes.Message) out?.push(a);
    return activities.map((_, i) => ({ id: String(i) }));
  }

  async updateActivity(): Promise<void> {}

  async deleteActivity(): Promise<void> {}

  async continueConversation(_reference: Partial<ConversationReference>): Promise<void> {
    throw new Error('Proactive messages are not supported: the bot only answers turns.');
  }

  process(context: TurnContext, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return this.runMiddleware(context, logic);
  }
}

/** Another instance stored a turn of this conversation after this turn read its state: the turn must run again. */
class StaleDialogError extends Error {
  override readonly name = 'StaleDialogError';
  constructor(readonly conversationId: string) {
    super('the dialog state changed since it was read');
  }
}

/**
 * botbuilder Storage over our DialogStateStore: one item per conversation (dialog stack + our state).
 *
 * Botkit writes during a turn (when a dialog begins) and at its end; those writes are only staged here, and the turn
 * stores once, at its end (`commit`), conditional on the version it read. A turn is therefore all or nothing: a failed
 * turn stores nothing, and a turn that lost a race against another instance (two webhooks of one conversation on two
 * Lambdas) can be run again on the other turn's state without having half-applied itself.
 *
 * In a resident process (the local server: one process holds every socket), reads are served from a bounded cache of
 * serialized states and the store write is queued behind the reply: the turn's answer does not wait for DynamoDB, the
 * next turn of that conversation does (see `flush`). On Lambda both are off: an instance may be frozen right after it
 * answers, and another instance may have moved the conversation on.
 */
class DialogStorage implements Storage {
  private readonly cache = new Map<string, string>();
  private readonly pending = new Map<string, Promise<void>>();
  /** What Botkit wrote during the running turn, per conversation (JSON). */
  private readonly staged = new Map<string, string>();
  /** The stored version as this process last read or wrote it: the condition of the next write. */
  private readonly versions = new Map<string, number>();

  constructor(
    private readonly store: DialogStateStore,
    private readonly ttlSeconds: number,
    private readonly resident: { maxCached: number } | null,
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        const id = conversationIdOf(key);
        const staged = this.staged.get(id);
        if (staged !== undefined) {
          items[key] = JSON.parse(staged);
          return;
        }
        const cached = this.resident ? this.cache.get(id) : undefined;
        if (cached !== undefined) {
          // Refresh the LRU position.
          this.cache.delete(id);
          this.cache.set(id, cached);
          items[key] = JSON.parse(cached);
          return;
        }
        const stored = await this.store.get(id);
        this.versions.set(id, stored?.version ?? 0);
        if (stored?.state && typeof stored.state === 'object') items[key] = stored.state;
      }),
    );
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, value] of Object.entries(changes)) {
      const { eTag: _etag, ...state } = value as Record<string, unknown>;
      // A JSON round trip drops undefined values and functions: what DynamoDB stores is what we read back.
      this.staged.set(conversationIdOf(key), JSON.stringify(state));
    }
  }

  /**
   * Stores what the turn wrote, if anything. Lambda: a conditional write now; StaleDialogError when another instance
   * stored first (nothing written). Resident: into the cache now, into the store behind the reply (`flush`).
   */
  async commit(id: string): Promise<void> {
    const text = this.staged.get(id);
    this.staged.delete(id);
    if (text === undefined) return;
    if (!this.resident) {
      const version = await this.store.put(id, JSON.parse(text), this.ttlSeconds, this.versions.get(id) ?? 0);
      if (version === null) throw new StaleDialogError(id);
      this.versions.set(id, version);
      return;
    }
    this.cache.delete(id);
    this.cache.set(id, text);
    if (this.cache.size > this.resident.maxCached) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
      // A write still queued for it needs its version; flush() drops it afterwards.
      if (!this.pending.has(oldest)) this.versions.delete(oldest);
    }
    // Each write carries the full state: after a failed one, the next turn's write stores what it missed.
    const write = async () => {
      const version = await this.store.put(id, JSON.parse(text), this.ttlSeconds, this.versions.get(id) ?? 0);
      if (version === null) throw new StaleDialogError(id);
      this.versions.set(id, version);
    };
    const previous = this.pending.get(id);
    this.pending.set(id, previous ? previous.then(write, write) : write());
  }

  /** Resolves when the queued writes of a conversation are stored (rejects if the last one failed). */
  async flush(id: string): Promise<void> {
    const p = this.pending.get(id);
    if (!p) return;
    try {
      await p;
    } catch (err) {
      // Another process stored this conversation: our cached copy is not what is stored; read it again next time.
      if (err instanceof StaleDialogError) this.forget(id);
      throw err;
    } finally {
      if (this.pending.get(id) === p) this.pending.delete(id);
      if (!this.cache.has(id)) this.versions.delete(id);
    }
  }

  /** After a turn: drop what it staged and, off resident mode, what it read (the next turn reads the store again). */
  endTurn(id: string): void {
    this.staged.delete(id);
    if (!this.resident) this.versions.delete(id);
  }

  forget(id: string): void {
    this.cache.delete(id);
    this.staged.delete(id);
    if (!this.pending.has(id)) this.versions.delete(id);
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(
      keys.map((k) => {
        const id = conversationIdOf(k);
        this.forget(id);
        return this.store.delete(id);
      }),
    );
  }
}

/** Botkit's key is `<channel>/conversations/<conversation.id>-<from.id>/<namespace>`; both ids are ours. */
function conversationIdOf(storageKey: string): string {
  const middle = /^[^/]+\/conversations\/(.*)\/[^/]*$/.exec(storageKey)?.[1] ?? storageKey;
  return middle.slice(0, (middle.length - 1) / 2);
}

function toReply(a: Partial<import('botbuilder').Activity>): Reply {
  const reply: Reply = { text: a.text ?? '' };
  const data = (a.channelData ?? {}) as { quick_replies?: QuickReply[]; multiple?: boolean };
  if (Array.isArray(data.quick_replies) && data.quick_replies.length > 0) {
    reply.quick_replies = data.quick_replies.map((q) => ({ title: String(q.title), payload: String(q.payload) }));
    if (data.multiple) reply.multiple = true;
  }
  return reply;
}

function quickRepliesOf(q: Question, vars: DialogVars): QuickReply[] | undefined {
  const list = typeof q.quickReplies === 'function' ? q.quickReplies(vars) : q.quickReplies;
  return list?.map((r) => ({ title: verbatim(r.title), payload: verbatim(r.payload) }));
}

/** A Question as a Botkit message template (functions only, so nothing user-typed is a mustache template). */
function toTemplate(q: Question) {
  return {
    text: (_template: unknown, vars: DialogVars) => verbatim(typeof q.text === 'function' ? q.text(vars) : q.text),
    quick_replies: (_template: unknown, vars: DialogVars) => quickRepliesOf(q, vars) ?? [],
    channelData: q.multiple ? { multiple: true } : {},
  };
}

interface BotkitDialogWrapperLike {
  vars: DialogVars;
  setVar(k: string, v: unknown): void;
  gotoThread(t: string): Promise<void>;
  repeat(): Promise<void>;
  stop(): Promise<void>;
}

const wrapConvo = (c: BotkitDialogWrapperLike): Convo => ({
  get vars() {
    return c.vars;
  },
  setVar: (k, v) => c.setVar(k, v),
  gotoThread: (t) => c.gotoThread(t),
  repeat: () => c.repeat(),
  stop: () => c.stop(),
});

export interface EngineOptions<S, M> {
  store: DialogStateStore;
  /** Lifetime of a stored conversation (refreshed on every turn). */
  ttlSeconds: number;
  initialState(): S;
  define(bot: BotDefinition<S, M>): void;
  /** Sent when a turn fails; the conversation keeps its last saved state. */
  apology: string;
  onError?(err: unknown, conversationId: string): void;
  /**
   * One long-running process serves every turn of its conversations (local server): cache states in memory and
   * store them after answering. Leave off on Lambda.
   */
  resident?: boolean;
  /**
   * Runs at the end of every turn, before the state is stored, with what was said: the place for what follows the
   * whole conversation (the excerpt a support request carries, misunderstandings in a row). Must not throw.
   */
  afterTurn?(state: S, input: TurnInput, replies: Reply[]): void;
}

export function createEngine<S extends object, M>(options: EngineOptions<S, M>): Engine<M> {
  const adapter = new CollectingAdapter();
  const storage = new DialogStorage(options.store, options.ttlSeconds, options.resident ? { maxCached: 20_000 } : null);
  const controller = new Botkit({
    adapter,
    storage,
    disable_webserver: true,
    disable_console: true,
  });
  // Private in Botkit's typings, public at runtime: our state lives in the same storage item as the dialog stack.
  const internals = controller as unknown as {
    conversationState: { createProperty(name: string): { get(ctx: TurnContext, initial: S): Promise<S> } };
    listenForInterrupts(bot: BotWorker, message: unknown): Promise<unknown>;
  };
  const stateAccessor = internals.conversationState.createProperty(STATE_PROPERTY);
  const queue = new KeyedQueue();
  let onMessage: ((turn: Turn<S, M>, text: string) => Promise<void>) | undefined;
  let closed = false;

  async function turnOf(bot: BotWorker): Promise<Turn<S, M>> {
    const context = bot.getConfig('context') as TurnContext;
    const dc = () => bot.getConfig('dialogContext') as DialogContext | undefined;
    // One state object per turn, shared by every handler of the turn (Botkit spawns a new worker per hook).
    let s = context.turnState.get(TURN) as S | undefined;
    if (!s) {
      s = await stateAccessor.get(context, options.initialState());
      context.turnState.set(TURN, s);
    }
    return {
      conversationId: context.activity.conversation.id,
      state: s,
      meta: context.turnState.get(META) as M,
      say: async (reply) => {
        const r = typeof reply === 'string' ? { text: reply } : reply;
        await bot.say({
          type: 'message',
          text: r.text,
          channelData: r.quick_replies ? { quick_replies: r.quick_replies, multiple: r.multiple === true } : {},
        });
      },
      beginDialog: (id, opts) => bot.beginDialog(id, opts),
      cancelAllDialogs: async () => {
        await bot.cancelAllDialogs();
      },
      hasActiveDialog: () => (dc()?.stack.length ?? 0) > 0,
      reprompt: async () => {
        const d = dc();
        if (d?.activeDialog) await d.repromptDialog();
      },
    };
  }

  const definition: BotDefinition<S, M> = {
    dialog(id) {
      const convo = new BotkitConversation(id, controller);
      const builder: DialogBuilder<S, M> = {
        id,
        say(message, thread = 'default') {
          convo.addMessage(toTemplate(typeof message === 'string' ? { text: message } : message) as never, thread);
          return builder;
        },
        ask(question, key, thread = 'default') {
          convo.addQuestion(toTemplate(question) as never, [], key, thread);
          return builder;
        },
        askWith(question, handler: AnswerHandler<S, M>, key, thread = 'default') {
          convo.addQuestion(
            toTemplate(question) as never,
            async (answer, c, bot) =>
              handler(typeof answer === 'string' ? answer : null, wrapConvo(c), await turnOf(bot)),
            key,
            thread,
          );
          return builder;
        },
        addChildDialog(dialogId, key, thread = 'default') {
          convo.addChildDialog(dialogId, key, thread);
          return builder;
        },
        addGotoDialog(dialogId, thread = 'default') {
          convo.addGotoDialog(dialogId, thread);
          return builder;
        },
        before(thread, handler) {
          convo.before(thread, async (c, bot) => handler(wrapConvo(c), await turnOf(bot)));
          return builder;
        },
        onChange(key, handler: FieldHandler<S, M>) {
          convo.onChange(key, async (value, c, bot) => handler(value, wrapConvo(c), await turnOf(bot)));
          return builder;
        },
        after(handler) {
          convo.after(async (results, bot) => handler(results as DialogVars, await turnOf(bot)));
          return builder;
        },
      };
      controller.addDialog(convo);
      return builder;
    },
    interrupt(test, handler) {
      controller.interrupts(
        async (message) => {
          const context = message.context as TurnContext;
          const state = context.turnState.get(TURN) ?? (await stateAccessor.get(context, options.initialState()));
          context.turnState.set(TURN, state);
          return test(String(message.text ?? ''), { state: state as S });
        },
        'message',
        async (bot, message) => handler(await turnOf(bot), String(message.text ?? '')),
      );
    },
    onHello(handler) {
      controller.interrupts(
        async () => true,
        'hello',
        async (bot) => handler(await turnOf(bot)),
      );
    },
    onMessage(handler) {
      onMessage = handler;
    },
  };
  options.define(definition);

  /**
   * Botkit's own `handleTurn` runs the dialogs inside callbacks of its middleware pipeline without awaiting them: an
   * exception there is an unhandled rejection that ends the process. Same steps, with every promise awaited, so a
   * failure reaches `runTurn` (no receive/ingest middleware is registered, so nothing is skipped).
   */
  async function handleTurn(context: TurnContext): Promise<void> {
    const a = context.activity;
    const data = (a.channelData ?? {}) as { botkitEventType?: string };
    const message = {
      ...data,
      type: data.botkitEventType ?? a.type,
      user: a.from.id,
      text: a.text,
      channel: a.conversation.id,
      value: a.value,
      reference: TurnContext.getConversationReference(a),
      context,
      incoming_message: a,
    };
    context.turnState.set('botkitMessage', message);
    const dialogContext = await controller.dialogSet.createContext(context);
    const bot = await controller.spawn(dialogContext);
    const interrupted = await internals.listenForInterrupts(bot, message);
    if (interrupted === false) {
      const result = await dialogContext.continueDialog();
      // Not `processTriggersAndEvents`: it has the same detached callback. We register no `hears` triggers.
      if (result.status === DialogTurnStatus.empty && message.type === ActivityTypes.Message && onMessage) {
        await onMessage(await turnOf(bot), String(a.text ?? ''));
      }
    }
    if (options.afterTurn) {
      const state = (await turnOf(bot)).state;
      const said = (context.turnState.get(REPLIES) as Partial<import('botbuilder').Activity>[] | undefined) ?? [];
      const input: TurnInput =
        message.type === ActivityTypes.Message ? { type: 'message', text: String(a.text ?? '') } : { type: 'hello' };
      options.afterTurn(state, input, said.map(toReply));
    }
    await controller.saveState(bot);
  }

  async function runTurn(conversationId: string, input: TurnInput, meta: M): Promise<Reply[]> {
    for (let attempt = 1; ; attempt++) {
      const activity = {
        type: input.type === 'message' ? ActivityTypes.Message : ActivityTypes.Event,
        channelId: CHANNEL,
        // Only `id`: Botkit's storage key joins every conversation field, and conversationIdOf() reads it back.
        conversation: { id: conversationId },
        from: { id: conversationId },
        recipient: { id: 'bot', name: 'bot' },
        text: input.type === 'message' ? input.text : undefined,
        channelData: input.type === 'hello' ? { botkitEventType: 'hello' } : {},
        timestamp: new Date(),
        id: `${Date.now()}`,
        serviceUrl: '',
      };
      const context = new TurnContext(adapter, activity as never);
      const collected: Partial<import('botbuilder').Activity>[] = [];
      context.turnState.set(REPLIES, collected);
      context.turnState.set(META, meta);
      try {
        await adapter.process(context, (ctx) => handleTurn(ctx));
        await storage.commit(conversationId);
        // Only the attempt whose state was stored is answered: replies of an attempt that lost a race are dropped.
        return collected.map(toReply);
      } catch (err) {
        // Another instance answered a message of this conversation meanwhile: run this one again on top of it
        // (the page never sends two at once, so this is rare and short; bounded, then the usual apology).
        if (err instanceof StaleDialogError && attempt < MAX_TURN_ATTEMPTS) continue;
        // Nothing of the failed turn is stored (its writes were only staged): the conversation keeps its last state.
        options.onError?.(err, conversationId);
        return [{ text: options.apology }];
      } finally {
        storage.endTurn(conversationId);
      }
    }
  }

  return {
    turn(conversationId, input, meta) {
      if (closed) return Promise.resolve([{ text: options.apology }]);
      if (!options.resident) return queue.run(conversationId, () => runTurn(conversationId, input, meta));
      // Answer as soon as the turn ran; the queue holds this conversation's next turn until the state is stored.
      return new Promise<Reply[]>((resolve) => {
        void queue.run(conversationId, async () => {
          const replies = await runTurn(conversationId, input, meta);
          resolve(replies);
          try {
            await storage.flush(conversationId);
          } catch (err) {
            // Failed write: the cached state is ahead of the store and the next turn's write carries it (full-state
            // puts). Lost race (another process stored this conversation, not expected in resident mode): the cache
            // was dropped and the next turn reads what is stored; the answer already sent is not kept.
            options.onError?.(err, conversationId);
          }
        });
      });
    },
    drain: () => queue.drain(),
    async close() {
      closed = true;
      await queue.drain();
      // No webserver and no web adapter: nothing else holds a timer or a socket.
      await controller.shutdown();
    },
  };
}
