// What the bot keeps per conversation (persisted with the dialog stack, see engine.ts) and how it becomes the
// application document of ../shared/application.md. Only plain JSON: it goes to DynamoDB as is.
import type { ApplicationDocumentInput, Profil } from '../shared/domain/application.js';

export interface CampaignInfo {
  code: string;
  kind: 'webinar' | 'tour' | 'hub' | 'network';
  label: string | null;
  route: 'reseau' | 'territoriale' | 'libre' | null;
  territory: string | null;
  network: string | null;
}

/** What the server put in the session token (never what the client claims). */
export interface SessionMeta {
  campaignCode: string | null;
  /** The page was opened from a campaign link that is unknown or expired. */
  campaignNotice: boolean;
  /** Opened from the actor space: the first turn takes the conversation's binding to an application. */
  resume?: boolean;
  /** A network invitation's token (`/go/<code>?m=<token>`): the chat pre-fills what the member import knows. */
  invite?: string | null;
}

/** What a network invitation pre-fills, by field key (proposed as a quick reply the actor confirms or replaces). */
export interface Prefill {
  nom?: string;
  siret?: string;
  lieuCommune?: string;
}

export interface LieuDraft {
  adresse?: string;
  code_postal?: string;
  commune?: string;
  horaires?: string | null;
  accueil_inconditionnel?: boolean;
}

export interface Draft {
  structure: {
    nom?: string;
    forme_juridique?: string;
    siret?: string | null;
    siret_deja_utilise?: string;
    siret_diffusible?: string;
    demandeur_est_representant_legal?: boolean;
    demandeur_mandate?: boolean;
    representant_nom?: string;
    representant_courriel?: string;
    compte_bancaire?: boolean;
  };
  lieux: LieuDraft[];
  activite: {
    mediation?: boolean;
    services?: string[];
    modalites_accompagnement?: string[];
    lieux_d_intervention?: string[];
    nombre_lieux?: number;
    heures_accueil_hebdo?: number;
    frais_a_charge?: string[];
    tarif_seance_eur?: number;
    reste_a_charge_nul_accepte?: boolean;
    publics_specifiquement_adresses?: string[];
    prise_en_charge_specifique?: string[];
  };
  equipe: {
    salaries?: number;
    benevoles?: number;
    services_civiques?: number;
    benevoles_encadres?: boolean;
    dispositif_programmes_nationaux?: string[];
    formations_labels?: string[];
    autres_formations_labels?: string;
    aucune_formation?: boolean;
  };
  engagements: { charte?: boolean; cgu?: boolean; abonnement?: 'oui' | 'non' | 'a_confirmer'; publication?: boolean };
  contexte: { reseau?: string | null; contact_territorial?: string };
}

export interface SubmittedApplication {
  id: string;
  /** From the first answer; null when that answer was lost and a replay (which issues no token) answered instead. */
  actorToken: string | null;
  /** The idempotency key the chat submitted with: it proves the conversation when there is no token. */
  idempotencyKey?: string;
  status: string;
  at: string;
}

export interface ChatState {
  v: 1;
  greeted: boolean;
  profil: Profil | null;
  /** Resolved from the session's campaign code on the first turn; null: none or not running. */
  campaign: CampaignInfo | null;
  campaignResolved: boolean;
  draft: Draft;
  /** The place being entered (C5a–C5d) before it joins `draft.lieux`. */
  lieu: LieuDraft;
  /** Invalid answers per question (for a field with `maxTries`; none has since issue 14). */
  tries: Record<string, number>;
  /** Reason code of the hard gate that stopped the questionnaire. */
  exit: string | null;
  application: SubmittedApplication | null;
  /** Answers of the actor step being signed in the chat (COMMITMENTS). */
  commitments: { charte?: boolean; cgu?: boolean; abonnement?: 'oui' | 'non' | 'a_confirmer' } | null;
  /** The address typed for a sign-in link, only until the link is asked for (bot/dialogs/sign-in.ts). */
  signInCourriel?: string | null;
  /** Incremented by « recommencer » after a submission: a new document gets a new idempotency key. */
  round: number;
  /** From a network invitation link (resolved with the campaign): values the import knows. */
  prefill?: Prefill | null;
  /** The last messages (the actor's and the bot's), for the excerpt of a support request (bot/dialogs/support.ts). */
  transcript?: { who: 'actor' | 'bot'; text: string }[];
  /** Misunderstandings in a row, and whether this turn was one (reset by any understood message). */
  misses?: number;
  missedTurn?: boolean;
  /** « Parler à quelqu’un » in progress: what is asked next (the message for the team, then an address). */
  support?: { step: 'message' | 'courriel'; trigger: 'typed' | 'button' | 'misunderstood'; message?: string } | null;
}

export const emptyDraft = (): Draft => ({
  structure: {},
  lieux: [],
  activite: {},
  equipe: {},
  engagements: {},
  contexte: {},
});

export const initialState = (): ChatState => ({
  v: 1,
  greeted: false,
  profil: null,
  campaign: null,
  campaignResolved: false,
  draft: emptyDraft(),
  lieu: {},
  tries: {},
  exit: null,
  application: null,
  commitments: null,
  round: 0,
});

/** « recommencer »: forget the answers, keep what the session brought (campaign) and any submitted application. */
export function resetState(state: ChatState): void {
  const keep = {
    campaign: state.campaign,
    campaignResolved: state.campaignResolved,
    application: state.application,
    prefill: state.prefill ?? null,
    transcript: state.transcript,
  };
  Object.assign(state, initialState(), keep, { greeted: true, round: state.round + (state.application ? 1 : 0) });
}

export const idempotencyKey = (conversationId: string, state: ChatState): string =>
  state.round > 0 ? `${conversationId}#${state.round}` : conversationId;

const nonEmpty = <T>(a: T[] | undefined): T[] | undefined => (a && a.length > 0 ? a : undefined);

/** The draft as the application document (the domain's parser validates and normalises it on submission). */
export function toApplicationDocument(state: ChatState): ApplicationDocumentInput {
  const d = state.draft;
  const s = d.structure;
  const multiSite = d.lieux.length > 1;
  const campaign = state.campaign;
  return {
    profil: 'producteur',
    structure: {
      nom: s.nom ?? '',
      siret: s.siret ?? null,
      forme_juridique: (s.forme_juridique ?? 'autre') as never,
      demandeur_est_representant_legal: s.demandeur_est_representant_legal ?? false,
      demandeur_mandate: s.demandeur_est_representant_legal ? true : (s.demandeur_mandate ?? null),
      representant_legal:
        s.representant_nom && s.representant_courriel
          ? { nom: s.representant_nom, courriel: s.representant_courriel }
          : null,
      compte_bancaire: s.compte_bancaire ?? false,
      siret_deja_utilise: (s.siret_deja_utilise ?? null) as never,
      siret_diffusible: (s.siret_diffusible ?? null) as never,
    },
    lieux: d.lieux.map((l) => ({
      nom: multiSite && l.commune ? `${s.nom ?? ''} — ${l.commune}` : (s.nom ?? ''),
      adresse: l.adresse ?? '',
      code_postal: l.code_postal ?? '',
      commune: l.commune ?? '',
      horaires: l.horaires ?? null,
      accueil_inconditionnel: l.accueil_inconditionnel ?? true,
    })),
    activite: {
      mediation: d.activite.mediation ?? false,
      services: (d.activite.services ?? []) as never,
      modalites_accompagnement: (d.activite.modalites_accompagnement ?? []) as never,
      lieux_d_intervention: (d.activite.lieux_d_intervention ?? []) as never,
      frais_a_charge: (d.activite.frais_a_charge ?? []) as never,
      reste_a_charge_nul_accepte: d.activite.reste_a_charge_nul_accepte ?? null,
      tarif_seance_eur: d.activite.tarif_seance_eur ?? null,
      heures_accueil_hebdo: d.activite.heures_accueil_hebdo ?? null,
      publics_specifiquement_adresses: nonEmpty(d.activite.publics_specifiquement_adresses) as never,
      prise_en_charge_specifique: nonEmpty(d.activite.prise_en_charge_specifique) as never,
    },
    equipe: {
      salaries: d.equipe.salaries ?? null,
      benevoles: d.equipe.benevoles ?? null,
      services_civiques: d.equipe.services_civiques ?? null,
      benevoles_encadres: d.equipe.benevoles_encadres ?? null,
      dispositif_programmes_nationaux: nonEmpty(d.equipe.dispositif_programmes_nationaux) as never,
      formations_labels: nonEmpty(d.equipe.formations_labels) as never,
      autres_formations_labels: d.equipe.autres_formations_labels ?? null,
      aucune_formation: d.equipe.aucune_formation ?? null,
    },
    engagements: {
      charte: d.engagements.charte ?? false,
      cgu: d.engagements.cgu ?? false,
      abonnement: d.engagements.abonnement ?? 'a_confirmer',
      publication: d.engagements.publication ?? false,
    },
    contexte: {
      reseau: d.contexte.reseau ?? campaign?.network ?? null,
      contact_territorial: (d.contexte.contact_territorial ?? null) as never,
      campagne: campaign?.code ?? null,
      utm: {},
    },
  } as ApplicationDocumentInput;
}
