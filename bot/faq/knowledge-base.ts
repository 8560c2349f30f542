import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import type { AppConfig } from '../../shared/config/config.js';
import { FAQ_TOPICS } from '../../shared/domain/reasons.js';

/** The 25 topic ids of faq-topics.md and the ones added since (one list, in the domain): the `topic` values of `GET /api/faq`. */
export const FAQ_TOPIC_IDS = FAQ_TOPICS;

export type FaqTopicId = (typeof FAQ_TOPIC_IDS)[number];

const text = (min: number, max: number) => z.string().trim().min(min).max(max);

/**
 * The `{{name}}` variables answers may hold. Each is a value of the configuration (shared/config/aptic-config.json
 * with the staff overrides), filled when the answer is given: the Kit price is configuration, so an answer never
 * writes it as text (a test checks it) and a staff change shows in the FAQ like in the questionnaire.
 */
export const FAQ_VARIABLES = ['supportEmail', 'kitPrice', 'kitPeriod'] as const;
export type FaqVariable = (typeof FAQ_VARIABLES)[number];
export type FaqVariables = Readonly<Record<FaqVariable, string>>;

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;
const KNOWN_VARIABLES: ReadonlySet<string> = new Set(FAQ_VARIABLES);

const euros = (amount: number) =>
  new Intl.NumberFormat('fr-FR', {
    minimumFractionDigits: Number.isInteger(amount) ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(amount);

/** The variables' values from the configuration in force (French number format: « 77 », « 77,50 »). */
export function faqVariables(config: Pick<AppConfig, 'kit' | 'support'>): FaqVariables {
  return { supportEmail: config.support.email, kitPrice: euros(config.kit.priceHtEur), kitPeriod: config.kit.period };
}

/** Problems of one answer text: unknown `{{variables}}`, and braces that are not a placeholder (a typo would show). */
export function templateProblems(template: string): string[] {
  const problems: string[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (!KNOWN_VARIABLES.has(m[1]!)) {
      problems.push(`variable inconnue {{${m[1]}}} (connues : ${FAQ_VARIABLES.join(', ')})`);
    }
  }
  if (/\{\{|\}\}/.test(template.replace(PLACEHOLDER, ''))) problems.push('accolades {{ }} mal formées');
  return problems;
}

export const FaqTopicSchema = z.strictObject({
  id: z.enum(FAQ_TOPIC_IDS),
  /** Short French name of the topic, shown on a « Vous parlez de : … » quick reply and in `suggestions`. */
  label: text(3, 40),
  question: text(5, 300),
  answer: text(20, 1500),
  examples: z.array(text(1, 300)).min(8).max(40),
  keywords: z.array(text(1, 60)).min(1).max(40),
  /**
   * A subject a person should follow (a missing payment…): the answer says so, and the chat offers the hand-over to a
   * person beside it (issue 14). Human-only questions (`humanOnly`) always hand over.
   */
  handover: z.boolean().optional(),
});

export const KnowledgeBaseSchema = z
  .strictObject({
    version: z.literal(1),
    /** Confidence (0..1) under which the matcher declines (topic null). */
    threshold: z.number().min(0).max(1),
    /** Used for `{{supportEmail}}` when the caller gives no configuration (the configuration's address wins). */
    defaultSupportEmail: z.email(),
    /** Answer when the question is outside the topics: says so and gives a way to reach a person. */
    fallback: text(20, 600),
    /** Questions that only a person should answer (sensitive, time-dependent) or other schemes to disambiguate. */
    humanOnly: z.strictObject({
      answer: text(20, 600),
      /** Phrases (any spelling) that send a question to `answer`, topic null. */
      phrases: z.array(text(2, 80)).max(200),
      /**
       * Phrases naming another scheme (France Services, Aidants Connect…): they send a question to `answer` too, unless
       * it also holds one of `ownNames` — then it compares the pass with that scheme and is matched like any other
       * (« la charte APTIC, c'est comme celle d'Aidants Connect ? »).
       */
      otherSchemes: z.array(text(2, 80)).max(200).optional(),
      /** Words naming this scheme (aptic, apticulteur…), whole words, any spelling. */
      ownNames: z.array(text(2, 40)).max(50).optional(),
    }),
    /** Typical questions the bot must decline (weather, recipes, other schemes…): a negative class for the matcher. */
    offTopicExamples: z.array(text(1, 300)).min(5).max(500),
    /**
     * Words naming another scheme or product ("chèque vacances", "pass culture") or a personal technical problem
     * ("imprimante"): a question holding one and none of `anchors` is much less likely to be about the scheme.
     */
    declineSignals: z.array(text(2, 60)).max(300).optional(),
    /** Words specific to the scheme (aptic, apticulteur, console, commanditaire…) that cancel `declineSignals`. */
    anchors: z.array(text(2, 60)).max(300).optional(),
    /**
     * Questions of evaluation sets merged as training material once they had been measured (docs/faq.md), kept apart
     * from the hand-written `examples` so that their provenance stays auditable: `source` names the set file, `topic`
     * null is an off-topic question (trained like `offTopicExamples`). Not answers: they only teach the classifier.
     */
    mergedEvaluationSets: z
      .array(
        z.strictObject({
          source: text(1, 200),
          note: text(1, 500).optional(),
          items: z
            .array(z.strictObject({ question: text(1, 1000), topic: z.enum(FAQ_TOPIC_IDS).nullable() }))
            .max(1000),
        }),
      )
      .max(50)
      .optional(),
    /** canonical word → variants; applied to questions and to the knowledge base alike. */
    synonyms: z.record(z.string().min(1), z.array(z.string().min(1))),
    topics: z.array(FaqTopicSchema).length(FAQ_TOPIC_IDS.length),
  })
  .superRefine((kb, ctx) => {
    const seen = new Set<string>();
    for (const [i, t] of kb.topics.entries()) {
      if (seen.has(t.id))
        ctx.addIssue({ code: 'custom', path: ['topics', i, 'id'], message: `sujet en double : ${t.id}` });
      seen.add(t.id);
    }
    // A misspelt variable would reach the actor as « {{kitPrix}} »: refuse the file at start-up instead.
    const texts: [PropertyKey[], string][] = [
      [['fallback'], kb.fallback],
      [['humanOnly', 'answer'], kb.humanOnly.answer],
      ...kb.topics.map((t, i): [PropertyKey[], string] => [['topics', i, 'answer'], t.answer]),
    ];
    for (const [path, template] of texts) {
      for (const message of templateProblems(template)) ctx.addIssue({ code: 'custom', path, message });
    }
  });

export type KnowledgeBase = z.infer<typeof KnowledgeBaseSchema>;
export type FaqTopic = z.infer<typeof FaqTopicSchema>;

export const DEFAULT_KNOWLEDGE_BASE_PATH = fileURLToPath(new URL('./knowledge-base.json', import.meta.url));

export class KnowledgeBaseError extends Error {
  override readonly name = 'KnowledgeBaseError';
}

/** Parses and validates a knowledge base (already-parsed JSON). Throws KnowledgeBaseError with every issue listed. */
export function parseKnowledgeBase(data: unknown, source = 'knowledge base'): KnowledgeBase {
  const r = KnowledgeBaseSchema.safeParse(data);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(racine)'}: ${i.message}`).join('; ');
    throw new KnowledgeBaseError(`${source} invalide : ${issues}`);
  }
  return r.data;
}

/** Reads and validates the knowledge base file (default: bot/faq/knowledge-base.json). Fails fast at start-up. */
export function loadKnowledgeBase(path: string = DEFAULT_KNOWLEDGE_BASE_PATH): KnowledgeBase {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new KnowledgeBaseError(`lecture de ${path} impossible : ${(e as Error).message}`);
  }
  return parseKnowledgeBase(raw, path);
}

/** Replaces `{{name}}` placeholders; unknown placeholders are left visible rather than silently emptied. */
export function renderTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (m, name: string) => vars[name] ?? m);
}
