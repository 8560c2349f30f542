import * as z from 'zod';
import {
  faqVariables,
  KnowledgeBaseSchema,
  loadKnowledgeBase,
  parseKnowledgeBase,
} from '../../bot/faq/knowledge-base.js';
import { createFaqPort, type FaqPort } from '../../bot/faq-port.js';
import { HttpError, json, lambdaFor, parseJsonBody, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { ConsoleValidationError } from '../../shared/usecases/console/errors.js';
import {
  draftKnowledgeBase,
  type KnowledgeBaseCodec,
  KnowledgeBasePreviewSchema,
  knowledgeBaseForConsole,
  knowledgeBaseInForce,
  publishKnowledgeBase,
  rollbackKnowledgeBase,
} from '../../shared/usecases/console/knowledge-base.js';
import { consoleStaff } from './console-common.js';

/** The file and its schema (bot/faq/knowledge-base.ts): a published version is validated exactly like the file. */
export const knowledgeBaseCodec = (): KnowledgeBaseCodec => {
  let file: unknown = null;
  return {
    file: () => {
      file ??= loadKnowledgeBase();
      return file;
    },
    validate(kb) {
      const r = KnowledgeBaseSchema.safeParse(kb);
      return r.success
        ? { ok: true }
        : { ok: false, issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
    },
  };
};

/**
 * The console's knowledge-base page (admin only; docs/faq.md « Published versions »):
 * GET /api/console/kb, POST /api/console/kb/preview `{ question, topics? }`, POST /api/console/kb/versions
 * `{ baseVersionId, topics, note? }` (publish), POST /api/console/kb/rollback `{ expectedVersionId }`.
 */
export const createRoute: RouteFactory = (deps) => {
  const codec = knowledgeBaseCodec();
  // The last previewed matcher: staff try several questions against the same edits (or the version in force), and
  // building a matcher trains its classifier over every phrasing (≈ 2 s since the FAQ's round 9).
  let previewed: { key: string; port: FaqPort } | null = null;
  return async (req) => {
    const staff = await consoleStaff(deps, req, 'admin');
    if (req.method === 'GET' && req.path === '/api/console/kb') {
      return json(200, await knowledgeBaseForConsole(deps, codec));
    }
    if (req.method !== 'POST') throw new HttpError(404, 'not_found', 'Adresse inconnue.');
    const body = parseJsonBody(req, z.unknown());
    if (req.path === '/api/console/kb/versions') return json(201, await publishKnowledgeBase(deps, staff, body, codec));
    if (req.path === '/api/console/kb/rollback') return json(200, await rollbackKnowledgeBase(deps, staff, body));
    if (req.path === '/api/console/kb/preview') {
      const p = KnowledgeBasePreviewSchema.safeParse(body);
      if (!p.success) {
        throw new ConsoleValidationError(
          p.error.issues[0]?.message ?? 'Question invalide.',
          p.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        );
      }
      // The edits as they would be published (validated), or the version in force when there are none.
      const [key, kb] = p.data.topics?.length
        ? await draftKnowledgeBase(deps, codec, p.data.topics).then(
            (d) => [`edits on ${d.inForce.versionId} ${JSON.stringify(p.data.topics)}`, d.kb] as const,
          )
        : await knowledgeBaseInForce(deps, codec).then((f) => [`version ${f.versionId}`, f.kb] as const);
      if (previewed?.key !== key) previewed = { key, port: createFaqPort({ kb: parseKnowledgeBase(kb) }) };
      const port = previewed.port;
      const m = port.match(p.data.question, faqVariables(await deps.config()));
      return json(200, {
        topic: m.topic,
        label: m.topic ? port.labelOf(m.topic) : null,
        score: m.score,
        answer: m.answer,
        suggestions: m.suggestions,
      });
    }
    throw new HttpError(404, 'not_found', 'Adresse inconnue.');
  };
};
export const handler = lambdaFor(createRoute, getDeps);
