// The FAQ port that follows the version staff published in the console (docs/faq.md « Published versions »). The
// matcher is synchronous (dialogs call it mid-turn), so the check happens before a turn: `refresh()` reads the small
// pointer item at most every `faqPublished.checkSeconds` and, when the version in force changed, reads its body,
// validates it like the file and rebuilds the matcher. The file's knowledge base is the default, and what a
// rollback past the first version goes back to. A body that fails validation (not expected: it was validated when
// published) keeps the current matcher and is logged.

import { type KnowledgeBase, loadKnowledgeBase, parseKnowledgeBase } from './faq/knowledge-base.js';
import { createFaqPort, type FaqPort } from './faq-port.js';

export interface LiveFaqSource {
  /** The published body when the version in force is not `known` (null: the file), or `unchanged`. */
  since(known: string | null): Promise<'unchanged' | { versionId: string | null; body: unknown | null }>;
  /** Seconds between two checks (configuration, read each time: a staff change applies at once). */
  checkSeconds(): Promise<number>;
  now(): number;
  warn?(fields: Record<string, unknown>, msg: string): void;
}

export interface LiveFaqPort extends FaqPort {
  refresh(): Promise<void>;
  /** The version in force in this process (null: the file). */
  versionId(): string | null;
}

export function createLiveFaqPort(source: LiveFaqSource, options: { file?: KnowledgeBase } = {}): LiveFaqPort {
  const file = options.file ?? loadKnowledgeBase();
  const filePort = createFaqPort({ kb: file });
  let port: FaqPort = filePort;
  let version: string | null = null;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | null = null;

  async function check(): Promise<void> {
    const ttl = (await source.checkSeconds()) * 1000;
    if (source.now() - checkedAt < ttl) return;
    const found = await source.since(version);
    checkedAt = source.now();
    if (found === 'unchanged') return;
    if (found.versionId === null || found.body === null) {
      port = filePort;
      version = null;
      return;
    }
    try {
      port = createFaqPort({ kb: parseKnowledgeBase(found.body, `version ${found.versionId}`) });
      version = found.versionId;
    } catch (err) {
      source.warn?.({ err, versionId: found.versionId }, 'published FAQ version refused; the current one stays');
    }
  }

  return {
    match: (q, vars) => port.match(q, vars),
    answerFor: (topic, vars) => port.answerFor(topic, vars),
    labelOf: (topic) => port.labelOf(topic),
    versionId: () => version,
    refresh() {
      // Concurrent turns share one check; a failed read (the store not answering) keeps the current matcher.
      inFlight ??= check()
        .catch((err) => source.warn?.({ err }, 'FAQ version check failed; the current one stays'))
        .finally(() => {
          inFlight = null;
        });
      return inFlight;
    },
  };
}
