// The FAQ port that follows the version staff published in the console (docs/faq.md « Published versions »). The
// matcher is synchronous (dialogs call it mid-turn), so the check happens before a turn: `refresh()` reads the small
// pointer item at most every `faqPublished.checkSeconds` and, when the version in force changed, reads its body,
// validates it like the file and rebuilds the matcher. The file's knowledge base is the default, and what a
// rollback past the first version goes back to. A body that fails validation (not expected: it was validated when
// published) keeps the current matcher and is logged.
//
// A version whose phrasings differ from the file's needs its own classifier: training it is seconds of CPU (the
// bundled model only covers the file). The first instance that trains it keeps it in `models` (the table), and the
// others, cold starts included, read it there instead of training again.

import { classifierStore, setClassifierStore } from './faq/classifier.js';
import { type KnowledgeBase, loadKnowledgeBase, parseKnowledgeBase } from './faq/knowledge-base.js';
import { createFaqPort, type FaqPort } from './faq-port.js';

/** A trained classifier: its key (the code and data it was trained from) and its bytes (bot/faq/classifier.ts). */
export interface SharedFaqModel {
  key: string;
  data: Uint8Array;
}

/** Trained classifiers of published versions, shared by every instance (shared/store `KnowledgeBaseStore`). */
export interface SharedFaqModels {
  get(versionId: string): Promise<SharedFaqModel | null>;
  /** False when the model is not kept (too big for the store): the other instances then train their own. */
  put(versionId: string, model: SharedFaqModel): Promise<boolean>;
}

export interface LiveFaqSource {
  /** The published body when the version in force is not `known` (null: the file), or `unchanged`. */
  since(known: string | null): Promise<'unchanged' | { versionId: string | null; body: unknown | null }>;
  /** Seconds between two checks (configuration, read each time: a staff change applies at once). */
  checkSeconds(): Promise<number>;
  now(): number;
  /** Where instances share the classifiers they trained for published versions (none: each instance trains). */
  models?: SharedFaqModels;
  warn?(fields: Record<string, unknown>, msg: string): void;
}

export interface LiveFaqPort extends FaqPort {
  refresh(): Promise<void>;
  /** Checks the version in force and builds its matcher now (a long-lived server: the first question does not wait). */
  warm(): Promise<void>;
  /** The version in force in this process (null: the file). */
  versionId(): string | null;
}

/**
 * Builds the matcher of `kb` with the process's classifier store first (the bundled model, `npm start`'s cache), then
 * `shared`; returns the classifier it had to train, if any, for the caller to share.
 */
function buildSharing(kb: KnowledgeBase, shared: SharedFaqModel | null): { port: FaqPort; trained?: SharedFaqModel } {
  const local = classifierStore();
  const out: { trained?: SharedFaqModel } = {};
  setClassifierStore({
    get: (key) => local?.get(key) ?? (shared?.key === key ? shared.data : undefined),
    set: (key, data) => {
      out.trained = { key, data };
      local?.set(key, data);
    },
  });
  try {
    return { port: createFaqPort({ kb }), ...out };
  } finally {
    setClassifierStore(local);
  }
}

export function createLiveFaqPort(source: LiveFaqSource, options: { file?: KnowledgeBase } = {}): LiveFaqPort {
  const file = options.file ?? loadKnowledgeBase();
  // Built when first needed: an instance that starts while a version is published never needs the file's matcher.
  let filePort: FaqPort | null = null;
  let published: FaqPort | null = null;
  const port = (): FaqPort => {
    if (published) return published;
    filePort ??= createFaqPort({ kb: file });
    return filePort;
  };
  let version: string | null = null;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | null = null;

  async function sharedModel(versionId: string): Promise<SharedFaqModel | null> {
    try {
      return (await source.models?.get(versionId)) ?? null;
    } catch (err) {
      source.warn?.({ err, versionId }, 'shared FAQ model not read; this instance trains its own');
      return null;
    }
  }

  async function check(): Promise<void> {
    const ttl = (await source.checkSeconds()) * 1000;
    if (source.now() - checkedAt < ttl) return;
    const found = await source.since(version);
    checkedAt = source.now();
    if (found === 'unchanged') return;
    if (found.versionId === null || found.body === null) {
      published = null;
      version = null;
      return;
    }
    let built: ReturnType<typeof buildSharing>;
    try {
      const kb = parseKnowledgeBase(found.body, `version ${found.versionId}`);
      built = buildSharing(kb, await sharedModel(found.versionId));
    } catch (err) {
      source.warn?.({ err, versionId: found.versionId }, 'published FAQ version refused; the current one stays');
      return;
    }
    published = built.port;
    version = found.versionId;
    filePort = null; // its memory (tens of MB) back: built again at first use if the file comes back
    if (built.trained && source.models) {
      const shared = await source.models.put(found.versionId, built.trained).catch((err) => {
        source.warn?.({ err, versionId: found.versionId }, 'trained FAQ model not shared');
        return true; // logged above
      });
      if (!shared) {
        source.warn?.(
          { versionId: found.versionId, bytes: built.trained.data.byteLength },
          'trained FAQ model too big to share',
        );
      }
    }
  }

  function refresh(): Promise<void> {
    // Concurrent turns share one check; a failed read (the store not answering) keeps the current matcher.
    inFlight ??= check()
      .catch((err) => source.warn?.({ err }, 'FAQ version check failed; the current one stays'))
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  }

  return {
    match: (q, vars) => port().match(q, vars),
    answerFor: (topic, vars) => port().answerFor(topic, vars),
    labelOf: (topic) => port().labelOf(topic),
    versionId: () => version,
    refresh,
    async warm() {
      await refresh();
      port();
    },
  };
}
