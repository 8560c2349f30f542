import * as z from 'zod';
import type { KnowledgeBaseVersion } from '../../store/store.js';
import type { Deps } from '../ports.js';
import type { StaffPrincipal } from '../principal.js';
import { ConsoleConflictError, ConsoleValidationError } from './errors.js';

/**
 * Staff keep the FAQ knowledge base (issue 14 § 9, docs/faq.md « Published versions »): edit a topic's label, answer
 * and example questions, publish the result as a new version (validated by the same schema as the file), roll back
 * in one action. The file shipped with the code stays the default while nothing is published (or after rolling back
 * past the first version). Running bots check the pointer every `faqPublished.checkSeconds` and rebuild their matcher.
 *
 * The knowledge base's schema and matcher live in bot/faq (above this layer): the caller passes a codec.
 */
export interface KnowledgeBaseCodec {
  /** The file's knowledge base (already validated at start-up). */
  file(): unknown;
  /** The file's schema, with every issue as `{ path, message }` (path as in the JSON, e.g. `topics.3.answer`). */
  validate(kb: unknown): { ok: true } | { ok: false; issues: { path: string; message: string }[] };
}

const TopicEditSchema = z.strictObject({
  id: z.string().min(1).max(80),
  label: z.string().optional(),
  answer: z.string().optional(),
  examples: z.array(z.string()).optional(),
});

export const KnowledgeBaseEditSchema = z.strictObject({
  /** The version the edit starts from (null: the file): a publication since then refuses the edit (409). */
  baseVersionId: z.string().max(80).nullable(),
  topics: z.array(TopicEditSchema).min(1).max(100),
  note: z.string().trim().max(300).optional(),
});
export type KnowledgeBaseEdit = z.infer<typeof KnowledgeBaseEditSchema>;

export const KnowledgeBasePreviewSchema = z.strictObject({
  question: z.string().trim().min(1, 'Écrivez une question.').max(500),
  /** Unpublished edits to try the question against (none: the version in force). */
  topics: z.array(TopicEditSchema).max(100).optional(),
});

export const KnowledgeBaseRollbackSchema = z.strictObject({
  /** The version in force as the page saw it (null: the file): refused (409) if it changed since. */
  expectedVersionId: z.string().max(80).nullable(),
});

interface TopicLike {
  id: string;
  label: string;
  answer: string;
  examples: string[];
  [k: string]: unknown;
}
interface KbLike {
  topics: TopicLike[];
  [k: string]: unknown;
}

function parseOrThrow<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) {
    throw new ConsoleValidationError(
      'Modification invalide.',
      r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return r.data;
}

/**
 * The merged evaluation sets are training material that ships with the code: most of the file (1.08 MB of JSON since
 * the FAQ's round 9), never edited by staff. A published version stores only the rest, so that it stays far from
 * DynamoDB's 400 KB item limit whatever the sets grow to, and takes the file's sets when it is read. A version stored
 * whole before this keeps its own.
 */
export function withoutTrainingSets(kb: unknown): unknown {
  if (!kb || typeof kb !== 'object') return kb;
  const { mergedEvaluationSets: _sets, ...rest } = kb as Record<string, unknown>;
  return rest;
}

/** A stored body with the file's training sets attached (see withoutTrainingSets). */
export function withTrainingSetsOf(body: unknown, file: unknown): unknown {
  if (!body || typeof body !== 'object' || 'mergedEvaluationSets' in body) return body;
  const sets = file && typeof file === 'object' ? (file as Record<string, unknown>).mergedEvaluationSets : undefined;
  return sets === undefined ? body : { ...body, mergedEvaluationSets: sets };
}

/** The version in force: its id (null: the file) and its knowledge base. */
export async function knowledgeBaseInForce(
  deps: Deps,
  codec: KnowledgeBaseCodec,
): Promise<{ versionId: string | null; revision: number; kb: unknown }> {
  const pointer = await deps.store.knowledgeBase.pointer();
  if (pointer.versionId === null) return { versionId: null, revision: pointer.revision, kb: codec.file() };
  const v = await deps.store.knowledgeBase.getVersion(pointer.versionId);
  // A pointer to a missing version cannot happen through the use cases; the file is the safe answer if it does.
  return v
    ? { versionId: pointer.versionId, revision: pointer.revision, kb: withTrainingSetsOf(v.body, codec.file()) }
    : { versionId: null, revision: pointer.revision, kb: codec.file() };
}

/**
 * For running bots: the published body when the version in force is not `knownVersionId` (null: the file), or
 * `unchanged`. One small read when nothing changed. The body comes with the training sets of `file` (the bot's own
 * knowledge-base file), as versions are stored without them (withoutTrainingSets).
 */
export async function publishedKnowledgeBaseSince(
  deps: Deps,
  knownVersionId: string | null,
  file: () => unknown,
): Promise<'unchanged' | { versionId: string | null; body: unknown | null }> {
  const pointer = await deps.store.knowledgeBase.pointer();
  if (pointer.versionId === knownVersionId) return 'unchanged';
  if (pointer.versionId === null) return { versionId: null, body: null };
  const v = await deps.store.knowledgeBase.getVersion(pointer.versionId);
  return v ? { versionId: pointer.versionId, body: withTrainingSetsOf(v.body, file()) } : 'unchanged';
}

/** Applies topic edits to a knowledge base (a copy); unknown topic ids are field errors. */
export function applyTopicEdits(
  base: unknown,
  edits: KnowledgeBaseEdit['topics'],
): { kb: KbLike; changed: string[]; issues: { path: string; message: string }[] } {
  const kb = structuredClone(base) as KbLike;
  const issues: { path: string; message: string }[] = [];
  const changed: string[] = [];
  for (const [i, e] of edits.entries()) {
    const topic = kb.topics.find((t) => t.id === e.id);
    if (!topic) {
      issues.push({ path: `topics.${i}.id`, message: `sujet inconnu : ${e.id}` });
      continue;
    }
    const before = JSON.stringify([topic.label, topic.answer, topic.examples]);
    if (e.label !== undefined) topic.label = e.label.trim();
    if (e.answer !== undefined) topic.answer = e.answer.trim();
    if (e.examples !== undefined) topic.examples = e.examples.map((x) => x.trim()).filter((x) => x !== '');
    if (JSON.stringify([topic.label, topic.answer, topic.examples]) !== before) changed.push(topic.id);
  }
  return { kb, changed, issues };
}

/** Validation issues with the topic's id in the path (`topics.kit-price.answer`), as the console shows them. */
function namedIssues(kb: KbLike, issues: { path: string; message: string }[]) {
  return issues.map((i) => {
    const m = /^topics\.(\d+)(\..*)?$/.exec(i.path);
    const topic = m ? kb.topics[Number(m[1])] : undefined;
    return topic ? { path: `topics.${topic.id}${m![2] ?? ''}`, message: i.message } : i;
  });
}

/** Edits applied to the version in force and validated like the file: the knowledge base, or field errors. */
export async function draftKnowledgeBase(
  deps: Deps,
  codec: KnowledgeBaseCodec,
  edits: KnowledgeBaseEdit['topics'],
): Promise<{ kb: KbLike; changed: string[]; inForce: { versionId: string | null; revision: number } }> {
  const current = await knowledgeBaseInForce(deps, codec);
  const { kb, changed, issues } = applyTopicEdits(current.kb, edits);
  if (issues.length > 0) throw new ConsoleValidationError('Sujet inconnu.', issues);
  const v = codec.validate(kb);
  if (!v.ok) {
    throw new ConsoleValidationError(
      'Cette version ne respecte pas le format de la base de connaissances : rien n’est publié.',
      namedIssues(kb, v.issues),
    );
  }
  return { kb, changed, inForce: { versionId: current.versionId, revision: current.revision } };
}

/** POST /api/console/kb/versions (admin): a new version in force at once; audited. */
export async function publishKnowledgeBase(
  deps: Deps,
  staff: StaffPrincipal,
  body: unknown,
  codec: KnowledgeBaseCodec,
): Promise<KnowledgeBaseVersion> {
  const edit = parseOrThrow(KnowledgeBaseEditSchema, body);
  const { kb, changed, inForce } = await draftKnowledgeBase(deps, codec, edit.topics);
  if (inForce.versionId !== edit.baseVersionId) {
    throw new ConsoleConflictError('Une autre version a été publiée entre-temps : rechargez la page.', {
      versionId: inForce.versionId,
    });
  }
  if (changed.length === 0) {
    throw new ConsoleValidationError('Rien n’a changé : aucune version publiée.', [
      { path: 'topics', message: 'aucune modification' },
    ]);
  }
  const version: KnowledgeBaseVersion = {
    versionId: deps.newId(),
    publishedAt: deps.clock().toISOString(),
    by: staff.email,
    note: edit.note ?? null,
    previousVersionId: inForce.versionId,
    changedTopics: changed,
  };
  await deps.store.knowledgeBase.putVersion(version, withoutTrainingSets(kb));
  const moved = await deps.store.knowledgeBase.setPointer(
    { versionId: version.versionId, at: version.publishedAt, by: staff.email, action: 'publish' },
    inForce.revision,
  );
  if (!moved) throw new ConsoleConflictError('Une autre version a été publiée entre-temps : rechargez la page.');
  await deps.store.audit.record({
    who: staff.email,
    what: 'faq.publish',
    entity: 'faq',
    data: { versionId: version.versionId, previousVersionId: inForce.versionId, changedTopics: changed },
  });
  deps.metrics.count('FaqPublished', { action: 'publish' });
  return version;
}

/**
 * POST /api/console/kb/rollback (admin): the version in force goes back to the one it replaced (the file after the
 * first version). One action; audited. Rolling back twice goes back twice.
 */
export async function rollbackKnowledgeBase(
  deps: Deps,
  staff: StaffPrincipal,
  body: unknown,
): Promise<{ versionId: string | null }> {
  const { expectedVersionId } = parseOrThrow(KnowledgeBaseRollbackSchema, body);
  const pointer = await deps.store.knowledgeBase.pointer();
  if (pointer.versionId !== expectedVersionId) {
    throw new ConsoleConflictError('La version en vigueur a changé entre-temps : rechargez la page.');
  }
  if (pointer.versionId === null) {
    throw new ConsoleConflictError('Aucune version publiée : la base en vigueur est déjà celle du fichier.');
  }
  const current = await deps.store.knowledgeBase.getVersion(pointer.versionId);
  const target = current?.previousVersionId ?? null;
  const moved = await deps.store.knowledgeBase.setPointer(
    { versionId: target, at: deps.clock().toISOString(), by: staff.email, action: 'rollback' },
    pointer.revision,
  );
  if (!moved) throw new ConsoleConflictError('La version en vigueur a changé entre-temps : rechargez la page.');
  await deps.store.audit.record({
    who: staff.email,
    what: 'faq.rollback',
    entity: 'faq',
    data: { from: pointer.versionId, to: target },
  });
  deps.metrics.count('FaqPublished', { action: 'rollback' });
  return { versionId: target };
}

/** GET /api/console/kb (admin): the version in force, the versions published, the topics as staff edit them. */
export async function knowledgeBaseForConsole(deps: Deps, codec: KnowledgeBaseCodec) {
  const [current, pointer, versions] = await Promise.all([
    knowledgeBaseInForce(deps, codec),
    deps.store.knowledgeBase.pointer(),
    deps.store.knowledgeBase.listVersions(50),
  ]);
  const kb = current.kb as KbLike;
  return {
    inForce: {
      versionId: current.versionId,
      source: current.versionId === null ? ('file' as const) : ('published' as const),
      at: pointer.at,
      by: pointer.by,
      action: pointer.action,
    },
    versions,
    topics: kb.topics.map((t) => ({
      id: t.id,
      label: t.label,
      question: String(t.question ?? ''),
      answer: t.answer,
      examples: t.examples,
    })),
  };
}
