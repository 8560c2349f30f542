// Over 400 lines on purpose: it is the table of every route's description (one line or block per route, like
// functions/routes.ts), read top to bottom; splitting it by tag would scatter the one list a new route is added to.
import * as z from 'zod';
import { ChatMessageSchema, ChatSessionBodySchema, FaqQuerySchema } from '../bot/http-schemas.js';
import { ApplicationDocumentSchema } from '../shared/domain/application.js';
import { buildOpenApi, type OpenApiDocument, type OperationDoc } from '../shared/http/openapi.js';
import { SignInRequestSchema, SignInVerifySchema, type VerifiedSignIn } from '../shared/usecases/actor-sign-in.js';
import { CommitmentsSchema } from '../shared/usecases/actor-steps.js';
import { BankDetailsBodySchema, BankValidationBodySchema } from '../shared/usecases/bank-details.js';
import { AssignSchema, CommentSchema } from '../shared/usecases/console/application-page.js';
import { BulkDecisionSchema } from '../shared/usecases/console/bulk-decisions.js';
import { CampaignChangeSchema, CampaignSchema, CampaignsQuerySchema } from '../shared/usecases/console/campaigns.js';
import { ConfigChangeSchema } from '../shared/usecases/console/config-admin.js';
import {
  KnowledgeBaseEditSchema,
  KnowledgeBasePreviewSchema,
  KnowledgeBaseRollbackSchema,
} from '../shared/usecases/console/knowledge-base.js';
import { NetworkSchema } from '../shared/usecases/console/networks.js';
import { PassInjectionSchema, PassInjectionsQuerySchema } from '../shared/usecases/console/pass-injections.js';
import { ProspectsQuerySchema } from '../shared/usecases/console/prospects.js';
import { ChangeStaffSchema, CreateStaffSchema } from '../shared/usecases/console/staff-admin.js';
import { StimulateSchema } from '../shared/usecases/console/stimulate.js';
import { TerritoriesQuerySchema } from '../shared/usecases/console/territories.js';
import { ReleaseSchema } from '../shared/usecases/console/waitlist.js';
import { DecisionBodySchema } from '../shared/usecases/decisions.js';
import type { ErasureResult } from '../shared/usecases/erasure.js';
import type { DecisionView } from '../shared/usecases/evaluate.js';
import { OptionalReasonSchema, ReasonSchema } from '../shared/usecases/lifecycle.js';
import { LoginSchema } from '../shared/usecases/login-input.js';
import { PlacesBodySchema } from '../shared/usecases/places-edit.js';
import { SupportAnswerBodySchema } from '../shared/usecases/support.js';
import {
  ApplicationIdSchema,
  CampaignCodeSchema,
  NetworkIdSchema,
  SiretParamSchema,
  StaffEmailSchema,
  SupportIdSchema,
  TaskIdSchema,
} from './api/params.js';
import {
  ChangesQuerySchema,
  ClosedQuerySchema,
  LieuxProchesQuerySchema,
  LieuxQuerySchema,
  ListTasksQuerySchema,
  OutboxQuerySchema,
  SearchQuerySchema,
  StaffListQuerySchema,
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
const FaqAnswerSchema = z.object({
  topic: z.string().nullable(),
  score: z.number(),
  answer: z.string().nullable(),
  /** Up to 3 topics, best first, when the FAQ declines or is unsure; empty when it is confident. */
  suggestions: z.array(z.object({ topic: z.string(), label: z.string() })).max(3),
});
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
const SignInAcceptedSchema = z.object({ message: z.string() });
const SignedInSchema = z
  .object({
    token: z.string().regex(/^acs_/),
    expiresAt: z.string(),
    applications: z.array(z.object({ id: z.uuid(), stage: z.string(), nom: z.string() }).loose()),
  })
  .loose() satisfies z.ZodType<VerifiedSignIn>;
const ErasedSchema = z
  .object({ status: z.literal('erased'), message: z.string() })
  .loose() satisfies z.ZodType<ErasureResult>;
const ErasurePendingSchema = z
  .object({ status: z.literal('pending'), dueAt: z.string(), message: z.string() })
  .loose() satisfies z.ZodType<ErasureResult>;
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
      /** The message's key within its application (stage, round, variant). */
      key: z.string(),
      /** sent (delivered by a mailer), waiting (a mailer will send it), kept (no mailer: the record is the message). */
      state: z.enum(['sent', 'waiting', 'kept']),
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
    description:
      "Aussi : `document` (le document de la demande : l'acteur voit le sien), `expected` (`{ step, by, since, dueAt }` : " +
      "l'étape ouverte et son échéance), `changeRequest` (`{ at, comment }` : les modifications demandées par l'équipe), " +
      '`commitments` (versions acceptées, quand, canal, Kit) et `commitmentTerms` (Charte, CGU et Kit en vigueur).',
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
    description:
      'Enregistre les versions acceptées de la Charte et des CGU (celles en vigueur, `commitments` de la ' +
      "configuration ; `versions` les nomme si le client les a montrées), l'heure, le canal (`canal` : `espace` ou " +
      "`api`, défaut `api` ; le chat enregistre `chat`), et l'abonnement au Kit au prix et à la période en vigueur " +
      '(il commence à la qualification).',
    responses: {
      200: "L'étape est franchie : `{ stage, commitments: { charte, cgu, channel, kit } }`.",
      400: 'Engagement manquant.',
      409: "L'étape n'est pas ouverte, ou une version acceptée n'est plus celle en vigueur.",
    },
  },
  'PUT /api/applications/:id/places': {
    summary: 'Modifier les lieux après la qualification',
    description:
      'La liste complète des lieux (chacun validé comme dans le document ; `{ lieux, version? }` ou la liste seule) : ' +
      'ajouter ou retirer un lieu = changer la liste ; `publie: false` retire un lieu de la carte. Les horaires sont ' +
      'acceptés au format OpenStreetMap ou en français courant (convertis). Les lignes publiées sont remplacées ; une ' +
      'ligne modifiée ou nouvelle prend la date du jour (`date_maj`). Seulement pour une demande qualifiée.',
    tag: 'actor',
    auth: ACTOR,
    params: appId,
    body: PlacesBodySchema,
    responses: {
      200: '`{ id, version, published: [ligne du schéma national] }` : les lignes désormais sur la carte.',
      400: 'Lieu invalide ou horaires non compris (`fields`).',
      401: 'Sans jeton.',
      403: "La demande d'un autre acteur.",
      409: "La demande n'est pas qualifiée, ou `version` n'est plus la version du document.",
    },
  },
  'POST /api/applications/:id/end-qualification': {
    summary: 'Mettre fin à sa qualification',
    description:
      "L'acteur arrête sa qualification (en cours ou suspendue), avec une raison : ses lieux quittent la carte " +
      "aussitôt, le SIRET est libéré, l'abonnement s'arrête ; l'historique et le journal d'audit le gardent, un message " +
      "le confirme à l'acteur.",
    tag: 'actor',
    auth: ACTOR,
    params: appId,
    body: ReasonSchema,
    responses: {
      200: '`{ id, stage: "withdrawn" }`.',
      400: 'Raison manquante.',
      401: 'Sans jeton.',
      403: "La demande d'un autre acteur.",
      409: "La demande n'est pas qualifiée.",
    },
  },
  'PUT /api/applications/:id/bank-details': {
    summary: 'Coordonnées bancaires (IBAN, BIC, titulaire)',
    tag: 'actor',
    auth: ACTOR,
    params: appId,
    body: BankDetailsBodySchema,
    description:
      "Après l'approbation de la revue (étapes `actor_commitments` et `final_approval`). L'IBAN est vérifié (clé " +
      'mod 97, longueur du pays, zone SEPA), le BIC aussi (8 ou 11 caractères, même pays que l’IBAN). Les ' +
      "coordonnées sont chiffrées ; la réponse et `GET /api/applications/:id` ne montrent que l'IBAN masqué. " +
      'Des coordonnées déjà validées ne se modifient plus.',
    responses: {
      200: "`{ iban: 'FR76 •••• •••• •••• •••• ••12 345', bic, titulaire, status: 'submitted', submittedAt, review }`.",
      400: 'IBAN, BIC ou titulaire invalide (erreurs par champ).',
      409: "L'étape n'est pas ouverte, ou les coordonnées sont déjà validées.",
    },
  },
  'POST /api/applications/:id/erasure': {
    summary: "Effacer les données personnelles d'une demande",
    description:
      "Par l'acteur (sa demande) ou un administrateur. Une demande non qualifiée est effacée aussitôt (le parcours " +
      "s'arrête, le SIRET est libéré) ; une qualification (ou suspendue) demandée par l'acteur devient une tâche de " +
      "l'équipe, à faire avant `dueAt` (GET /api/console/erasures). Restent des comptes anonymes et un historique " +
      "qui dit qu'un effacement a eu lieu. Sans corps. Une demande déjà effacée répond 200.",
    tag: 'actor',
    auth: ['actorToken', 'staffSession'],
    params: appId,
    responses: {
      200: { description: 'Les données sont effacées', schema: ErasedSchema },
      202: {
        description: "L'effacement est enregistré, fait par l'équipe avant `dueAt`",
        schema: ErasurePendingSchema,
      },
      401: 'Sans jeton.',
      403: "La demande d'un autre acteur, ou une session de l'équipe qui n'est pas administrateur.",
      404: 'Inconnue.',
    },
  },
  'GET /api/applications/:id/export': {
    summary: 'Tout ce qui est gardé sur une demande (export des données, JSON)',
    description:
      "Par l'acteur (sa demande) ou l'équipe, en pièce jointe (`Content-Disposition: attachment`) : " +
      '`{ exportedAt, application, document, history, messages, places, conversation, supportRequests }` — le document, ' +
      "l'historique tel que l'acteur le voit (sans les notes internes), les messages envoyés, les lieux publiés, " +
      'la conversation du chat qui a déposé la demande (sans jetons), les demandes de contact avec l’équipe et leurs réponses.',
    tag: 'actor',
    auth: ['actorToken', 'staffSession'],
    params: appId,
    responses: {
      200: "L'export, un objet JSON.",
      401: 'Sans jeton.',
      403: "La demande d'un autre acteur.",
      404: 'Inconnue.',
    },
  },

  'POST /api/actor/sign-in': {
    summary: "Recevoir par e-mail un lien de connexion (« J'ai déjà fait une demande »)",
    description:
      "La même réponse (202, les mêmes mots, un délai minimal) que l'adresse ait une demande ou non. Le lien " +
      "(`/espace#code=…`) vaut 30 minutes et ne sert qu'une fois. Limité par adresse et par IP (429, `Retry-After`).",
    tag: 'actor',
    body: SignInRequestSchema,
    responses: {
      202: { description: 'La demande de lien est prise en compte', schema: SignInAcceptedSchema },
      400: 'Adresse e-mail invalide.',
      429: 'Trop de demandes de lien.',
    },
  },
  'POST /api/actor/sign-in/verify': {
    summary: "Ouvrir une session d'acteur avec le code du lien reçu",
    description:
      "Le code ne sert qu'une fois. Le jeton rendu (`acs_…`) est un jeton d'acteur (`actorToken`, en Bearer) pour " +
      "toutes les demandes de cette adresse, jusqu'à `expiresAt` ou POST /api/actor/sign-out. Ouvrir le lien " +
      "confirme l'adresse (étape `address_confirmation`).",
    tag: 'actor',
    body: SignInVerifySchema,
    responses: {
      200: { description: 'La session et les demandes de cette adresse', schema: SignedInSchema },
      400: 'Code mal formé.',
      401: 'Lien déjà utilisé, expiré ou inconnu (`invalid_code`).',
    },
  },
  'POST /api/actor/sign-out': {
    summary: "Finir la session d'acteur présentée",
    description: 'Avec un jeton de session (`acs_…`) : la session prend fin aussitôt. Un autre jeton : rien à finir.',
    tag: 'actor',
    auth: ACTOR,
    responses: { 204: 'La session est finie (sans corps).', 401: 'Sans jeton.' },
  },
  'GET /espace': page("L'espace demandeur (connexion par lien e-mail, suivi des demandes)"),
  'GET /espace/:file': page("Un fichier de l'espace demandeur"),

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
  'GET /api/console/staff': staff(
    "L'équipe, pour assigner une tâche ; `all=1` (administrateurs) : comptes désactivés compris",
    {
      query: StaffListQuerySchema,
    },
  ),
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
  'GET /api/labels': {
    summary: 'Les libellés français des codes de la console (étapes, statuts, signalements, réponses…)',
    tag: 'public',
    responses: { 200: '`{ stages, statuses, routes, flags, reasons, findings, fields, values, events, … }`' },
  },
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
  'GET /api/console/closed': staff('Les demandes closes (qualifiées, refusées, expirées, non éligibles, retirées…)', {
    query: ClosedQuerySchema,
    responses: {
      200: '`{ applications: [{ applicationId, reference, nom, siret, commune, stage, route, phase, departements, closedAt }], next }`, les plus récentes d’abord',
      400: 'Filtre invalide.',
    },
  }),
  'GET /api/console/closed.csv': staff('Export CSV des demandes closes du filtre (cellules neutralisées)', {
    query: ClosedQuerySchema,
    responses: { 200: 'Le CSV (10 000 lignes au plus ; `X-Truncated: true` au-delà).', 400: 'Filtre invalide.' },
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
  'POST /api/console/applications/:id/suspend': admin('Suspendre une qualification', {
    description:
      "Les lieux quittent la carte ; l'historique garde qui et pourquoi ; l'acteur est prévenu (avec la raison).",
    params: appId,
    body: ReasonSchema,
    responses: {
      200: '`{ id, stage }` : la demande, désormais `suspended`.',
      400: 'Raison manquante ou trop longue.',
      404: 'Demande inconnue.',
      409: "La demande n'est pas qualifiée.",
    },
  }),
  'POST /api/console/applications/:id/reinstate': admin("Lever la suspension d'une qualification", {
    description: "Les lieux reviennent sur la carte si l'acteur a accepté leur publication ; l'acteur est prévenu.",
    params: appId,
    body: OptionalReasonSchema,
    bodyOptional: true,
    responses: {
      200: '`{ id, stage }` : la demande, de nouveau `qualified`.',
      400: 'Raison trop longue.',
      404: 'Demande inconnue.',
      409: "La qualification n'est pas suspendue.",
    },
  }),
  'POST /api/console/applications/:id/withdraw': admin('Retirer une qualification (en cours ou suspendue)', {
    description:
      'Les lieux quittent la carte ; la demande se termine (`withdrawn`) et rend son SIRET et sa place dans le ' +
      "département ; l'acteur est prévenu (avec la raison).",
    params: appId,
    body: ReasonSchema,
    responses: {
      200: '`{ id, stage }` : la demande, désormais `withdrawn`.',
      400: 'Raison manquante ou trop longue.',
      404: 'Demande inconnue.',
      409: "La demande n'est ni qualifiée ni suspendue.",
    },
  }),
  'POST /api/console/applications/:id/release-siret': admin("Libérer le SIRET d'une demande terminée, avant le délai", {
    description:
      'Pour une demande terminée sans qualification (un refus garde son SIRET `retention.rejectedSiretDays` jours).',
    params: appId,
    body: OptionalReasonSchema,
    bodyOptional: true,
    responses: {
      200: '`{ id, siretReleased }` : `false` si le SIRET était déjà libre.',
      400: 'Raison trop longue.',
      404: 'Demande inconnue.',
      409: 'La demande est en cours ou qualifiée : elle garde son SIRET.',
    },
  }),
  'GET /api/console/erasures': staff(
    "Les demandes d'effacement à faire (qualifications), la plus proche échéance d'abord",
    {
      responses: { 200: '`{ erasures: [{ applicationId, requestedAt, dueAt, overdue }] }`.' },
    },
  ),
  'GET /api/console/applications/:id/bank-details': admin('Les coordonnées bancaires en clair', {
    params: appId,
    description: 'Déchiffre IBAN, BIC et titulaire pour les vérifier ; chaque lecture est journalisée (audit).',
    responses: { 200: '`{ iban, bic, titulaire, status, submittedAt }`.', 404: 'Pas encore de coordonnées.' },
  }),
  'POST /api/console/applications/:id/bank-details/validation': admin('Valider ou refuser les coordonnées bancaires', {
    params: appId,
    body: BankValidationBodySchema,
    description:
      "`{ valid, comment? }` (commentaire obligatoire pour refuser : il est adressé au demandeur). L'approbation " +
      'finale attend des coordonnées validées (`commitments.bankDetailsRequired`, 409 `bank_details_not_validated`).',
    responses: {
      200: 'La vue masquée, avec le statut.',
      404: 'Pas encore de coordonnées.',
      409: "L'étape est passée.",
    },
  }),
  'GET /api/console/subscriptions': staff('Les abonnements au Kit, pour la facturation', {
    description:
      "Un abonnement par demande ayant signé ses engagements : prix et période en vigueur à l'acceptation, versions " +
      'de la Charte et des CGU, canal ; il commence à la qualification (`startsAt`). `?format=csv` : le même tableau ' +
      'en CSV (cellules de type formule neutralisées).',
    responses: {
      200:
        '`{ subscriptions: [{ applicationId, structure, siret, stage, status, acceptedAt, channel, startsAt, ' +
        'priceHtEur, period, charteVersion, cguVersion }] }`, ou le CSV.',
    },
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
  'GET /api/console/networks': staff(
    'Les réseaux et leurs conventions ; `notices` : les membres retirés d’une liste alors qu’ils ont une demande',
  ),
  'GET /api/console/support': staff('Les demandes de contact du chat (« parler à quelqu’un »)', {
    description:
      'Les 100 plus récentes, ouvertes d’abord : message, extrait de la conversation (adresses et numéros masqués), ' +
      'demande liée, réponses et délai de première réponse (`firstAnswerSeconds`, médiane `medianFirstAnswerSeconds`).',
    responses: { 200: '`{ requests: [...], open, medianFirstAnswerSeconds }`.' },
  }),
  'POST /api/console/support/:id/answer': staff('Répondre à une demande de contact', {
    params: { id: SupportIdSchema },
    body: SupportAnswerBodySchema,
    description:
      'La réponse s’affiche dans la conversation du chat (au prochain message ou relevé) et part par e-mail, ' +
      'avec le lien de l’espace demandeur et du chat (jamais un lien de connexion).',
    responses: { 200: 'La demande, avec la réponse.', 404: 'Demande inconnue.', 409: 'Réponse concurrente.' },
  }),
  'GET /api/console/kb': admin('La base de connaissances de la FAQ en vigueur et ses versions publiées'),
  'POST /api/console/kb/preview': admin('Essayer une question sur la base en vigueur ou sur des modifications', {
    body: KnowledgeBasePreviewSchema,
    responses: { 200: '`{ topic, label, score, answer, suggestions }`.', 400: 'Modifications invalides (champs).' },
  }),
  'POST /api/console/kb/versions': admin('Publier une nouvelle version de la base de connaissances', {
    body: KnowledgeBaseEditSchema,
    responses: {
      201: 'La version publiée, en vigueur en quelques secondes dans le chat.',
      400: 'Refusée : erreurs par champ (`fields`).',
      409: 'Une autre version a été publiée entre-temps.',
    },
  }),
  'POST /api/console/kb/rollback': admin('Revenir à la version précédente (ou au fichier)', {
    body: KnowledgeBaseRollbackSchema,
    responses: {
      200: '`{ versionId }` (null : le fichier).',
      409: 'La version en vigueur a changé, ou rien à annuler.',
    },
  }),
  'POST /api/console/networks': admin('Créer ou modifier un réseau', { body: NetworkSchema }),
  'GET /api/console/networks/:id': staff('Un réseau et ses membres', { params: networkId }),
  'GET /api/console/networks/:id/overview': staff(
    "L'état de chaque membre (invité, demande déposée, en examen, qualifié, refusé), l'historique des imports et les avis de retrait",
    { params: networkId, responses: { 404: 'Réseau introuvable.' } },
  ),
  'POST /api/console/networks/:id/invitations': admin(
    "Inviter par e-mail les membres qui n'ont pas fait de demande (lien de campagne réseau pré-rempli)",
    { params: networkId, responses: { 200: 'Un résultat par membre.', 404: 'Réseau introuvable.' } },
  ),
  'POST /api/console/networks/:id/notices/:siret/acknowledge': staff("Marquer comme lu l'avis de retrait d'un membre", {
    params: { id: NetworkIdSchema, siret: SiretParamSchema },
    responses: { 404: 'Aucun avis ouvert pour ce membre.' },
  }),
  'POST /api/console/networks/:id/members': admin('Importer les membres (le fichier CSV lui-même)', {
    params: networkId,
    query: z.object({ mode: z.enum(['merge', 'replace']).optional() }),
    rawBody: { contentType: 'text/csv', description: 'Le fichier CSV, encodé en UTF-8.' },
    responses: {
      200: 'Les lignes acceptées et refusées.',
      400: 'Fichier refusé.',
      413: 'Fichier trop volumineux.',
      415: 'Pas un CSV.',
    },
  }),
  'GET /api/console/campaigns': staff('Les liens de campagne et leur entonnoir (d’un territoire : leur somme)', {
    query: CampaignsQuerySchema,
  }),
  'POST /api/console/campaigns': staff('Créer un lien de campagne', {
    body: CampaignSchema,
    responses: { 201: 'La campagne et son chemin /go/….', 400: 'Champs invalides.' },
  }),
  'PUT /api/console/campaigns/:code': staff(
    'Modifier un lien de campagne, le mettre en pause, le reprendre ou le terminer',
    {
      params: { code: CampaignCodeSchema },
      body: CampaignChangeSchema,
      responses: { 200: '`{ campaign, path }`', 400: 'Modification invalide.', 404: 'Lien introuvable.' },
    },
  ),
  'GET /api/console/outbox': staff('Les derniers messages envoyés aux acteurs', {
    query: OutboxQuerySchema,
    responses: { 200: { description: 'Les messages, les plus récents en premier', schema: OutboxSchema } },
  }),
  'GET /api/console/coverage': staff('Par département : qualifiés, en cours, en attente'),
  'POST /api/console/pass-injections': admin('Enregistrer une injection de passes, ou la corriger (id + version)', {
    body: PassInjectionSchema,
    responses: {
      201: 'L’injection créée.',
      200: 'L’injection corrigée (nouvelle version).',
      400: 'Champ invalide ou territoire inconnu.',
      409: 'La version a changé entre-temps.',
    },
  }),
  'POST /api/console/pass-injections/import': admin('Importer des injections (le fichier CSV lui-même)', {
    rawBody: { contentType: 'text/csv', description: 'Le fichier CSV (UTF-8 ou Windows-1252, « ; » ou « , »).' },
    responses: {
      200: 'Les lignes importées, déjà présentes et refusées (ligne, raisons).',
      400: 'Fichier refusé en entier : rien n’est importé.',
      413: 'Fichier trop volumineux : rien n’est importé.',
      415: 'Pas un CSV.',
    },
  }),
  'GET /api/console/pass-injections': staff('Les injections de passes, d’un département ou toutes', {
    query: PassInjectionsQuerySchema,
  }),
  'GET /api/console/territories': staff('Par territoire : passes, acteurs soutenables et qualifiés, statut, portée', {
    query: TerritoriesQuerySchema,
    responses: {
      200: 'Par département (par défaut) ou, avec niveau=epci&departement=…, par EPCI du département.',
      400: 'Niveau inconnu, ou vue par EPCI sans département.',
    },
  }),
  'POST /api/console/prospects/import': staff('Importer des prospects (CSV du schéma national des lieux)', {
    rawBody: {
      contentType: 'text/csv',
      description:
        'Le fichier CSV du schéma national (UTF-8 ou Windows-1252, « , », « ; » ou tabulation ; 4 Mo au plus).',
    },
    responses: {
      200: 'Les lieux importés, mis à jour, inchangés et refusés (ligne, raisons).',
      400: 'Fichier refusé en entier : rien n’est importé.',
      413: 'Fichier trop volumineux : rien n’est importé.',
      415: 'Pas un CSV.',
      503: 'Import interrompu : le message dit combien de lieux sont enregistrés ; renvoyer le fichier.',
    },
  }),
  'GET /api/console/prospects': staff('Les prospects d’un département, candidats ou non', {
    query: ProspectsQuerySchema,
    responses: { 400: 'Département manquant ou invalide.' },
  }),
  'POST /api/console/territories/:code/stimulate': staff('Stimuler un territoire : lien de campagne et invitations', {
    params: { code: z.string() },
    body: StimulateSchema,
    responses: {
      201: 'La campagne créée et les invitations envoyées.',
      200: 'La même demande renvoyée : la campagne existait, seules les invitations manquantes partent.',
      400: 'Champs invalides ou département inconnu.',
    },
  }),

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
  'GET /api/lieux/data-inclusion': {
    summary: 'Les mêmes lieux, au schéma data·inclusion (structures et services)',
    tag: 'public',
    query: LieuxQuerySchema,
    responses: { 200: '{ structures, services } au schéma data·inclusion.', 400: 'Département invalide.' },
  },
  'GET /api/unsubscribe': {
    ...page('Se désinscrire des invitations (page avec un bouton)'),
    tag: 'public',
  },
  'POST /api/unsubscribe': {
    summary: 'Se désinscrire des invitations (jeton du lien, champ « t » ou paramètre ?t=)',
    tag: 'public',
    responses: { 200: { description: 'Désinscription enregistrée', contentType: 'text/html' }, 404: 'Lien inconnu.' },
  },
  'GET /api/lieux/proches': {
    summary: 'Les lieux pour les personnes : horaires en clair, itinéraire ; les plus proches d’une commune d’abord',
    description:
      'Sans `q` : tous les lieux publiés, avec `horaires_texte` (horaires en français) et `itineraire` (lien ' +
      'openstreetmap.org). Avec `q` (commune, code postal ou les deux) : les plus proches du centre de la commune ' +
      'd’abord, avec `distance_km` ; plusieurs communes de ce nom → `choix` à préciser.',
    tag: 'public',
    query: LieuxProchesQuerySchema,
    responses: {
      200: '`{ origine, lieux, choix?, sansPosition? }`.',
      400: 'Recherche invalide.',
      404: 'Commune ou code postal introuvable.',
    },
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
