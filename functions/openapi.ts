import * as z from 'zod';
import { ChatMessageSchema, ChatSessionBodySchema, FaqQuerySchema } from '../bot/http-schemas.js';
import { ApplicationDocumentSchema } from '../shared/domain/application.js';
import { buildOpenApi, type OpenApiDocument, type OperationDoc } from '../shared/http/openapi.js';
import { CommitmentsSchema } from '../shared/usecases/actor-steps.js';
import { AssignSchema, CommentSchema } from '../shared/usecases/console/application-page.js';
import { BulkDecisionSchema } from '../shared/usecases/console/bulk-decisions.js';
import { CampaignSchema } from '../shared/usecases/console/campaigns.js';
import { ConfigChangeSchema } from '../shared/usecases/console/config-admin.js';
import { NetworkSchema } from '../shared/usecases/console/networks.js';
import { ChangeStaffSchema, CreateStaffSchema } from '../shared/usecases/console/staff-admin.js';
import { ReleaseSchema } from '../shared/usecases/console/waitlist.js';
import { DecisionBodySchema } from '../shared/usecases/decisions.js';
import type { DecisionView } from '../shared/usecases/evaluate.js';
import { LoginSchema } from '../shared/usecases/staff-auth.js';
import { ApplicationIdSchema, NetworkIdSchema, StaffEmailSchema, TaskIdSchema } from './api/params.js';
import {
  ChangesQuerySchema,
  LieuxQuerySchema,
  ListTasksQuerySchema,
  OutboxQuerySchema,
  SearchQuerySchema,
} from './api/queries.js';
import { ROUTES } from './routes.js';

/**
 * What each route of functions/routes.ts takes and answers, for the OpenAPI description served at
 * GET /api/openapi.json (docs/modules.md, "OpenAPI"). Request schemas are the objects the handlers and use cases
 * parse with, imported, never copied: the description cannot drift from what is accepted. A route added to ROUTES
 * without its line here fails test/unit/http/openapi.test.ts, which names it.
 *
 * Answers are described in words, except the contract's (architecture.md), whose zod schemas below are typed against
 * the use cases' result types and checked against live answers by test/integration/openapi.test.ts.
 */

// ---- Answers of the contract routes (loose: a field added to an answer is not a break) ------------------------

const FindingSchema = z.object({ code: z.string(), message: z.string(), topic: z.string().optional() });
const DecisionViewSchema = z
  .object({
    status: z.enum([
      'redirect',
      'not_eligible_yet',
      'pending_confirmation',
      'eligible_now',
      'eligible_waitlist',
      'needs_human_review',
    ]),
    phase: z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable(),
    route: z.enum(['reseau', 'territoriale', 'libre']).nullable(),
    flags: z.array(FindingSchema),
    reasons: z.array(FindingSchema),
  })
  .loose() satisfies z.ZodType<DecisionView>;
const CreatedSchema = DecisionViewSchema.extend({ id: z.uuid(), actorToken: z.string() });
const ApplicationViewSchema = z
  .object({ id: z.uuid(), stage: z.string(), status: z.string(), history: z.array(z.unknown()) })
  .loose();
const HealthSchema = z.object({ status: z.literal('ok') });
const FaqAnswerSchema = z.object({ topic: z.string().nullable(), score: z.number(), answer: z.string().nullable() });
const ChatTokenSchema = z.object({ token: z.string() });
const ChatRepliesSchema = z.array(
  z.object({ text: z.string(), quick_replies: z.array(z.unknown()).optional() }).loose(),
);
const LoginResultSchema = z.object({ token: z.string(), expiresAt: z.string(), role: z.string() }).loose();
const TaskListSchema = z
  .object({
    tasks: z.array(z.object({ taskId: z.string(), applicationId: z.uuid(), step: z.string() }).loose()),
  })
  .loose();
const NewStaffResultSchema = z.object({ email: z.string(), role: z.string(), password: z.string() });
const BulkResultsSchema = z.object({
  results: z.array(
    z.object({
      taskId: z.string(),
      status: z.enum(['ok', 'already_decided', 'not_found', 'forbidden', 'error']),
      message: z.string(),
    }),
  ),
});
const SearchResultsSchema = z.object({
  results: z.array(
    z.object({
      applicationId: z.string(),
      nom: z.string().nullable(),
      siret: z.string().nullable(),
      commune: z.string().nullable(),
      stage: z.string(),
    }),
  ),
});
const OutboxSchema = z.object({
  messages: z.array(
    z.object({
      applicationId: z.string(),
      at: z.string(),
      stage: z.string().nullable(),
      to: z.string().nullable(),
      subject: z.string(),
      text: z.string(),
      channel: z.string(),
      delivered: z.boolean(),
    }),
  ),
});

// ---- The routes ------------------------------------------------------------------------------------------------

const ACTOR = ['actorToken'] as const;
const STAFF = ['staffSession'] as const;
const appId = { id: ApplicationIdSchema };
const taskId = { taskId: TaskIdSchema };
const networkId = { id: NetworkIdSchema };
const page = (summary: string, contentType = 'text/html'): OperationDoc => ({
  summary,
  tag: 'pages',
  responses: { 200: { description: summary, contentType }, 404: 'Fichier inconnu.' },
});
/** A console route: staff session, 401 without one, 403 for an actor's token; `more.responses` adds to those. */
const staff = (summary: string, more: Partial<OperationDoc> = {}): OperationDoc => ({
  summary,
  tag: 'console',
  auth: STAFF,
  ...more,
  responses: { 200: summary, 401: 'Sans session valide.', 403: "Jeton d'acteur.", ...more.responses },
});
const admin = (summary: string, more: Partial<OperationDoc> = {}): OperationDoc =>
  staff(summary, { tag: 'admin', ...more, responses: { 403: 'Réservé aux administrateurs.', ...more.responses } });

export const API_DOCS: Readonly<Record<string, OperationDoc>> = {
  'GET /healthz': {
    summary: 'Le service répond',
    tag: 'public',
    responses: { 200: { description: 'ok', schema: HealthSchema } },
  },
  'GET /api/openapi.json': {
    summary: 'Cette description OpenAPI 3.1',
    tag: 'public',
    responses: { 200: { description: 'Le document OpenAPI', contentType: 'application/json' } },
  },
  'POST /api/eligibility': {
    summary: "La décision d'éligibilité d'un document, sans rien enregistrer",
    tag: 'public',
    body: ApplicationDocumentSchema,
    responses: { 200: { description: 'La décision', schema: DecisionViewSchema }, 400: 'Champs invalides.' },
  },
  'POST /api/applications': {
    summary: 'Déposer une demande (démarre le parcours de qualification)',
    description: 'En-tête `Idempotency-Key` facultatif : un envoi répété rend la même demande (200).',
    tag: 'public',
    body: ApplicationDocumentSchema,
    responses: {
      201: { description: "La demande, la décision et le jeton de l'acteur (montré une fois)", schema: CreatedSchema },
      200: { description: 'La même demande, déjà reçue avec cette clé', schema: CreatedSchema },
      400: 'Champs invalides (messages en français).',
      409: 'Ce SIRET a déjà une demande.',
    },
  },
  'GET /api/applications/:id': {
    summary: "L'état d'une demande et son historique",
    tag: 'actor',
    auth: ['actorToken', 'staffSession'],
    params: appId,
    responses: {
      200: { description: 'La demande', schema: ApplicationViewSchema },
      401: 'Sans jeton.',
      404: 'Inconnue.',
    },
  },
  'PUT /api/applications/:id': {
    summary: 'Renvoyer le document corrigé, quand des modifications sont demandées',
    tag: 'actor',
    auth: ACTOR,
    params: appId,
    body: ApplicationDocumentSchema,
    responses: { 200: 'La nouvelle décision.', 400: 'Champs invalides.', 409: "L'étape n'est pas ouverte." },
  },
  'POST /api/applications/:id/commitments': {
    summary: 'Charte, CGU et abonnement au Kit',
    tag: 'actor',
    auth: ACTOR,
    params: appId,
    body: CommitmentsSchema,
    responses: { 200: "L'étape est franchie.", 400: 'Engagement manquant.', 409: "L'étape n'est pas ouverte." },
  },

  'POST /api/console/login': {
    summary: "Connexion d'un membre de l'équipe",
    description:
      'Limité par adresse et par IP (429 avec `retryAfterSeconds`). Sur AWS : Cognito (409 `challenge_required`).',
    tag: 'console',
    body: LoginSchema,
    responses: {
      200: { description: 'La session', schema: LoginResultSchema },
      401: 'Adresse ou mot de passe incorrect.',
      429: 'Trop de tentatives.',
    },
  },
  'POST /api/console/logout': staff('Fin de la session présentée'),
  'GET /api/console/me': staff('Qui est connecté (adresse, rôle)'),
  'GET /api/console/staff': staff("L'équipe, pour assigner une tâche"),
  'POST /api/console/staff': admin('Créer un compte (mot de passe généré, montré une seule fois)', {
    body: CreateStaffSchema,
    responses: {
      201: { description: 'Le compte et son mot de passe', schema: NewStaffResultSchema },
      400: 'Adresse ou rôle invalide.',
      409: 'Ce compte existe déjà.',
    },
  }),
  'PUT /api/console/staff/:email': admin('Changer le rôle d’un compte, le désactiver ou le réactiver', {
    params: { email: StaffEmailSchema },
    body: ChangeStaffSchema,
    responses: {
      200: 'Le compte modifié.',
      404: 'Compte introuvable.',
      409: 'Dernier administrateur actif (`last_admin`), ou compte modifié entre-temps.',
    },
  }),
  'POST /api/console/staff/:email/password': admin(
    'Réinitialiser le mot de passe (nouveau mot de passe montré une fois)',
    {
      params: { email: StaffEmailSchema },
      responses: { 200: '`{ email, password }`', 404: 'Compte introuvable.' },
    },
  ),
  'GET /api/console/tasks': staff('Les tâches ouvertes, les plus anciennes en premier', {
    query: ListTasksQuerySchema,
    responses: { 200: { description: 'Une page de tâches', schema: TaskListSchema }, 400: 'Filtre invalide.' },
  }),
  'GET /api/console/search': staff('Trouver une demande : SIRET, nom, courriel, commune ou début de référence', {
    query: SearchQuerySchema,
    responses: {
      200: { description: '20 demandes au plus', schema: SearchResultsSchema },
      400: 'Moins de 2 caractères.',
    },
  }),
  'POST /api/console/tasks/:taskId/decision': staff('Décider une tâche (la première décision gagne)', {
    params: taskId,
    body: DecisionBodySchema,
    responses: {
      200: 'La décision est enregistrée.',
      403: 'Quatre yeux (`four_eyes`) : la personne qui a approuvé la revue ne donne pas l’approbation finale.',
      409: 'Déjà décidée.',
    },
  }),
  'POST /api/console/tasks/decisions': staff(
    'Une décision pour plusieurs tâches (500 au plus), un résultat par tâche',
    {
      description:
        'Chaque tâche est une décision ordinaire (la première gagne, quatre yeux, son propre historique). Statut par tâche : `ok`, `already_decided`, `not_found`, `forbidden` (quatre yeux, étape non décidable), ou `error` (erreur temporaire : à renvoyer).',
      body: BulkDecisionSchema,
      responses: { 200: { description: 'Un résultat par tâche', schema: BulkResultsSchema }, 400: 'Envoi invalide.' },
    },
  ),
  'POST /api/console/tasks/:taskId/assign': staff('Assigner une tâche ouverte', {
    params: taskId,
    body: AssignSchema,
    responses: { 200: 'La tâche assignée.', 409: "La tâche n'est plus ouverte." },
  }),
  'GET /api/console/applications/:id': staff('Une demande : réponses, signaux expliqués, lieux, historique, tâches', {
    params: appId,
  }),
  'POST /api/console/applications/:id/comments': staff("Une note interne de l'équipe", {
    params: appId,
    body: CommentSchema,
    responses: { 201: "L'événement d'historique créé.", 400: 'Commentaire vide ou trop long.' },
  }),
  'GET /api/console/config': admin('La configuration en vigueur, les surcharges et leur version'),
  'PUT /api/console/config': admin('Changer la configuration', {
    body: ConfigChangeSchema,
    responses: { 200: 'La configuration modifiée.', 409: 'La version a changé entre-temps.' },
  }),
  'GET /api/console/changes': admin('Le journal des changements administratifs', { query: ChangesQuerySchema }),
  'POST /api/console/waitlist/release': admin("Libérer la liste d'attente", {
    body: ReleaseSchema,
    bodyOptional: true,
  }),
  'GET /api/console/networks': staff('Les réseaux et leurs conventions'),
  'POST /api/console/networks': admin('Créer ou modifier un réseau', { body: NetworkSchema }),
  'GET /api/console/networks/:id': staff('Un réseau et ses membres', { params: networkId }),
  'POST /api/console/networks/:id/members': admin('Importer les membres (le fichier CSV lui-même)', {
    params: networkId,
    rawBody: { contentType: 'text/csv', description: 'Le fichier CSV, encodé en UTF-8.' },
    responses: {
      200: 'Les lignes acceptées et refusées.',
      400: 'Fichier refusé.',
      413: 'Fichier trop volumineux.',
      415: 'Pas un CSV.',
    },
  }),
  'GET /api/console/campaigns': staff('Les liens de campagne et leur entonnoir'),
  'POST /api/console/campaigns': staff('Créer un lien de campagne', {
    body: CampaignSchema,
    responses: { 201: 'La campagne et son chemin /go/….', 400: 'Champs invalides.' },
  }),
  'GET /api/console/outbox': staff('Les derniers messages envoyés aux acteurs', {
    query: OutboxQuerySchema,
    responses: { 200: { description: 'Les messages, les plus récents en premier', schema: OutboxSchema } },
  }),
  'GET /api/console/coverage': staff('Par département : qualifiés, en cours, en attente'),

  'GET /api/lieux': {
    summary: 'Les lieux qualifiés et publiés (schéma national, JSON)',
    tag: 'public',
    query: LieuxQuerySchema,
    responses: { 200: 'Un tableau de lignes du schéma national.', 400: 'Département invalide.' },
  },
  'GET /api/lieux.csv': {
    summary: 'Les mêmes lieux, en CSV (schéma national)',
    tag: 'public',
    responses: { 200: { description: 'Le fichier CSV', contentType: 'text/csv' } },
  },
  'GET /carte': page('La carte publique'),

  'GET /console': page('La console'),
  'GET /console/:file': page('Un fichier de la console'),
  'GET /carte/:file': page('Un fichier de la carte'),
  'GET /assets/vendor/leaflet/:file': page('Un fichier de Leaflet'),

  'GET /': { ...page('La page du chat'), tag: 'chat' },
  'GET /chat.js': { ...page('Le script du chat', 'text/javascript'), tag: 'chat' },
  'GET /chat.css': { ...page('La feuille de style du chat', 'text/css'), tag: 'chat' },
  'GET /embed.js': { ...page("Le script d'intégration du chat sur un autre site", 'text/javascript'), tag: 'chat' },
  'GET /go/:code': { ...page("Un lien de campagne : la page du chat avec le contexte de l'événement"), tag: 'chat' },
  'GET /api/faq': {
    summary: 'La réponse de la FAQ à une question',
    tag: 'chat',
    query: FaqQuerySchema,
    responses: {
      200: { description: 'Le sujet reconnu et sa réponse', schema: FaqAnswerSchema },
      400: 'Question vide.',
    },
  },
  'POST /api/chat/session': {
    summary: 'Ouvrir une conversation',
    tag: 'chat',
    body: ChatSessionBodySchema,
    bodyOptional: true,
    responses: { 200: { description: 'Le jeton de session', schema: ChatTokenSchema }, 429: 'Trop de sessions.' },
  },
  'POST /api/messages': {
    summary: 'Envoyer un message au chat (webhook)',
    tag: 'chat',
    auth: ['chatSession'],
    body: ChatMessageSchema,
    responses: {
      200: { description: 'Les réponses du bot', schema: ChatRepliesSchema },
      400: { description: 'Message illisible : la réponse du bot qui le dit', schema: ChatRepliesSchema },
      401: 'Session expirée.',
      429: { description: 'Trop de messages : la réponse du bot qui le dit', schema: ChatRepliesSchema },
    },
  },
};

/** The request schemas shown once, under components/schemas, and referenced by the routes that take them. */
export const API_COMPONENTS = {
  ApplicationDocument: ApplicationDocumentSchema,
  Commitments: CommitmentsSchema,
  Login: LoginSchema,
  Decision: DecisionBodySchema,
  Assign: AssignSchema,
  Comment: CommentSchema,
  ConfigChange: ConfigChangeSchema,
  WaitlistRelease: ReleaseSchema,
  Network: NetworkSchema,
  Campaign: CampaignSchema,
  ChatMessage: ChatMessageSchema,
  ChatSession: ChatSessionBodySchema,
};

let built: OpenApiDocument | null = null;

/** The document, built once per process (a few milliseconds: the schemas are converted by zod). */
export function openApiDocument(): OpenApiDocument {
  built ??= buildOpenApi({
    info: {
      title: 'Qualification #APTIC',
      version: '1.0.0',
      description:
        "L'API de la qualification des producteurs de services de médiation numérique au pass #APTIC : " +
        "éligibilité, dépôt et suivi d'une demande, chat, console de l'équipe, lieux publiés. " +
        'Les erreurs ont toutes la forme `{ error, message, fields? }`.',
    },
    routes: ROUTES,
    docs: API_DOCS,
    components: API_COMPONENTS,
  });
  return built;
}
