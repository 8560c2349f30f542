import type { Status } from './eligibility.js';
import { STAGES, type Stage } from './path.js';
import type { FlagCode, ReasonCode } from './reasons.js';

/**
 * The French labels staff read in the console, one catalogue for every code the API returns (stages, statuses,
 * routes, flags and reasons, answer keys and values, history events, decisions). Served whole by
 * `GET /api/labels` (docs/console.md, « Libellés »): the pages hold no copy. The flags' and reasons' long
 * messages (addressed to the actor) stay in reasons.ts; these are the short names a list shows. Typed as complete
 * records, so a new flag, reason, stage or status without its label fails the type check.
 */
const FLAG_LABELS: Record<FlagCode, string> = {
  regie_required: 'Régie de recettes requise',
  siret_possibly_used: 'SIRET peut-être déjà utilisé',
  siret_non_diffusible: 'SIRET non diffusible',
  no_accompaniment_service: 'Pas de service d’accompagnement',
  autonomy_only: 'Usage en autonomie seulement',
  multi_sites: 'Plusieurs lieux',
  closed_public: 'Accueil non ouvert à tous',
  low_opening_hours: 'Amplitude d’accueil faible',
  no_zero_remaining_cost: 'Reste à charge non nul',
  supervision_weak: 'Encadrement des bénévoles faible',
  no_training: 'Aucune formation déclarée',
  no_publication: 'Refus de publication sur la carte',
  home_services_later: 'Accompagnement à domicile (phase ultérieure)',
  subscription_to_confirm: 'Abonnement à confirmer',
  campaign_unknown: 'Lien d’invitation inconnu',
  network_without_agreement: 'Réseau sans convention',
  opening_hours_unparsed: 'Horaires non lus automatiquement',
};

const REASON_LABELS: Record<ReasonCode, string> = {
  redirect_financeur: 'Profil financeur (réorienté)',
  redirect_prescripteur: 'Profil prescripteur (réorienté)',
  redirect_particulier: 'Particulier (réorienté)',
  redirect_autre: 'Autre profil (réorienté)',
  siret_missing: 'SIRET manquant',
  not_mandated: 'Demandeur non mandaté',
  no_bank_account: 'Pas de compte bancaire',
  no_mediation_activity: 'Pas d’activité de médiation',
  charter_refused: 'Charte refusée',
  cgu_refused: 'CGU refusées',
  subscription_refused: 'Abonnement refusé',
  distance_only: 'Accompagnement à distance seulement',
  too_many_places: 'Nombre de lieux élevé',
  review_soft_flags: 'Plusieurs points à examiner',
  subscription_pending: 'Abonnement en attente de confirmation',
  phase_closed: 'Phase non ouverte',
  network_membership_not_found: 'SIRET absent des membres d’un réseau conventionné',
  volume_cap_reached: 'Plafond du département atteint',
  volume_cap_passes: 'Plafond des passes du département atteint',
};

const STATUS_LABELS: Record<Status, string> = {
  redirect: 'Réorientée',
  not_eligible_yet: 'Pas encore éligible',
  pending_confirmation: 'En attente de confirmation',
  eligible_now: 'Éligible maintenant',
  eligible_waitlist: 'Éligible, en liste d’attente',
  needs_human_review: 'Examen humain nécessaire',
};

const STAGE_LABELS = Object.fromEntries(Object.entries(STAGES).map(([k, v]) => [k, v.label])) as Record<Stage, string>;

/** Keys of the application document (answers), as the application page shows them. */
const FIELD_LABELS: Record<string, string> = {
  profil: 'Profil',
  structure: 'Structure',
  nom: 'Nom',
  siret: 'SIRET',
  forme_juridique: 'Forme juridique',
  demandeur_est_representant_legal: 'Le demandeur est le ou la représentant·e légal·e',
  demandeur_mandate: 'Le demandeur est mandaté',
  representant_legal: 'Représentant·e légal·e',
  courriel: 'Courriel',
  telephone: 'Téléphone',
  compte_bancaire: 'Compte bancaire au nom de la structure',
  siret_deja_utilise: 'SIRET déjà utilisé pour une demande',
  siret_diffusible: 'SIRET diffusible',
  lieux: 'Lieux',
  adresse: 'Adresse',
  complement_adresse: 'Complément d’adresse',
  code_postal: 'Code postal',
  commune: 'Commune',
  horaires: 'Horaires',
  accueil_inconditionnel: 'Accueil de toute personne sans condition',
  publie: 'Publié sur la carte',
  activite: 'Activité',
  mediation: 'Accompagnement au numérique',
  services: 'Services',
  modalites_accompagnement: 'Modalités d’accompagnement',
  lieux_d_intervention: 'Lieux d’intervention',
  frais_a_charge: 'Frais à charge',
  reste_a_charge_nul_accepte: 'Reste à charge nul accepté',
  tarif_seance_eur: 'Tarif d’une séance (€)',
  heures_accueil_hebdo: 'Heures d’accueil par semaine',
  publics_specifiquement_adresses: 'Publics spécifiquement accueillis',
  prise_en_charge_specifique: 'Prise en charge spécifique',
  modalites_acces: 'Modalités d’accès',
  equipe: 'Équipe',
  salaries: 'Salarié·es',
  benevoles: 'Bénévoles',
  services_civiques: 'Volontaires en service civique',
  benevoles_encadres: 'Bénévoles encadré·es par un·e salarié·e',
  dispositif_programmes_nationaux: 'Dispositifs et programmes nationaux',
  formations_labels: 'Formations et labels',
  autres_formations_labels: 'Autres formations et labels',
  aucune_formation: 'Aucune formation',
  engagements: 'Engagements',
  charte: 'Charte #APTIC',
  cgu: 'Conditions générales',
  abonnement: 'Abonnement (Kit #APTIC)',
  publication: 'Publication sur la carte',
  contexte: 'Contexte',
  reseau: 'Réseau',
  contact_territorial: 'Contact territorial',
  campagne: 'Campagne',
  utm: 'Suivi de campagne (utm)',
};

/** Coded answer values (the free-text enumerations of the national schema are already French). */
const VALUE_LABELS: Record<string, string> = {
  oui: 'oui',
  non: 'non',
  nsp: 'ne sait pas',
  producteur: 'Lieu qui accompagne le public',
  financeur: 'Financeur',
  prescripteur: 'Prescripteur',
  particulier: 'Particulier',
  autre: 'Autre',
  lieu_propre: 'Dans ses propres lieux',
  domicile: 'Au domicile des personnes',
  distance: 'À distance',
  itinerant: 'En itinérance',
  association: 'Association',
  en_cours: 'En cours',
};

const ROUTE_LABELS = { reseau: 'Réseau', territoriale: 'Territoriale', libre: 'Libre' } as const;

const EVENT_LABELS: Record<string, string> = {
  submitted: 'Demande déposée',
  evaluated: 'Éligibilité évaluée',
  stage_entered: 'Étape ouverte',
  decision_approve: 'Approuvée',
  decision_reject: 'Refusée',
  decision_request_changes: 'Corrections demandées',
  comment: 'Commentaire',
  assigned: 'Assignée',
  unassigned: 'Désassignée',
  resubmitted: 'Document corrigé renvoyé',
  committed: 'Engagements signés',
  address_confirmed: 'Adresse e-mail confirmée',
  siret_released: 'SIRET libéré',
  qualification_ended: 'Qualification arrêtée par l’acteur',
  places_updated: 'Lieux modifiés',
  error_recorded: 'Erreur enregistrée',
  erasure_requested: 'Effacement demandé',
  erased: 'Données effacées',
  bank_details_submitted: 'Coordonnées bancaires envoyées',
  suspended: 'Qualification suspendue',
  reinstated: 'Qualification rétablie',
  withdrawn: 'Qualification retirée',
  released: 'Sortie de liste d’attente',
  network_attested: 'Attestation du réseau (à la place de la revue équipe)',
  network_member_removed: 'Retiré de la liste des membres du réseau',
  bank_details_validated: 'Coordonnées bancaires validées',
  bank_details_rejected: 'Coordonnées bancaires refusées',
};

const DECISION_LABELS = { approve: 'Approuver', reject: 'Refuser', request_changes: 'Demander des corrections' };

/** Bulk decision results (POST /api/console/tasks/decisions). */
const RESULT_LABELS = {
  ok: 'Enregistrée',
  already_decided: 'Déjà décidée',
  not_found: 'Introuvable',
  forbidden: 'Refusée (droits ou quatre yeux)',
};

const ROLE_LABELS = { admin: 'Administrateur·rice', reviewer: 'Relecteur·rice' };

const OUTBOX_STATE_LABELS = {
  waiting: 'En attente d’envoi',
  sent: 'Envoyé',
  kept: 'Gardé ici (pas d’envoi d’e-mail sur cet hôte)',
};

/** The audit trail's actions (`what` of store.audit records), as the admin page lists them. */
const AUDIT_LABELS: Record<string, string> = {
  'application.erase': 'Demande effacée',
  'bank_details.reveal': 'Coordonnées bancaires consultées',
  'bank_details.validate': 'Coordonnées bancaires validées',
  'bank_details.reject': 'Coordonnées bancaires refusées',
  'campaign.create': 'Campagne créée',
  'campaign.update': 'Campagne modifiée',
  'config.update': 'Configuration modifiée',
  'faq.publish': 'FAQ publiée',
  'faq.rollback': 'FAQ : retour à une version précédente',
  'network.create': 'Réseau créé',
  'network.update': 'Réseau modifié',
  'network.import': 'Membres du réseau importés',
  'network.invite': 'Membres du réseau invités',
  'network.member_removed': 'Membre retiré de la liste du réseau',
  'network.notice_acknowledged': 'Retrait d’un membre pris en compte',
  'pass-injection.create': 'Injection de pass enregistrée',
  'pass-injection.correct': 'Injection de pass corrigée',
  'pass-injections.import': 'Injections de pass importées',
  'prospects.import': 'Prospects importés',
  'qualification.end': 'Qualification arrêtée par l’acteur',
  'qualification.suspend': 'Qualification suspendue',
  'qualification.reinstate': 'Qualification rétablie',
  'qualification.withdraw': 'Qualification retirée',
  'siret.release': 'SIRET libéré',
  'staff.create': 'Compte de l’équipe créé',
  'staff.enable': 'Compte réactivé',
  'staff.disable': 'Compte désactivé',
  'staff.password_reset': 'Nouveau mot de passe',
  'task.assign': 'Étape assignée',
  'task.reassign': 'Étape réassignée',
  'task.unassign': 'Étape désassignée',
  'territory.stimulate': 'Campagne de stimulation d’un territoire',
  'waitlist.release': 'Liste d’attente libérée',
};

/** What an audit record is about: `<kind>:<id>` or a bare kind. */
const AUDIT_ENTITY_LABELS: Record<string, string> = {
  application: 'Demande',
  staff: 'Compte',
  network: 'Réseau',
  campaign: 'Campagne',
  'pass-injection': 'Injection de pass',
  config: 'Configuration',
  waitlist: 'Liste d’attente',
  faq: 'FAQ',
  prospects: 'Prospects',
};

const CAMPAIGN_KIND_LABELS = { webinar: 'Webinaire', tour: '#APTIC Tour', hub: 'Hub', network: 'Réseau' };

export const CONSOLE_LABELS = Object.freeze({
  stages: STAGE_LABELS,
  statuses: STATUS_LABELS,
  routes: ROUTE_LABELS,
  flags: FLAG_LABELS,
  reasons: REASON_LABELS,
  /** Flags and reasons together: an inbox row carries flag codes, a filter may name either. */
  findings: { ...REASON_LABELS, ...FLAG_LABELS } as Record<string, string>,
  fields: FIELD_LABELS,
  values: VALUE_LABELS,
  events: EVENT_LABELS,
  decisions: DECISION_LABELS,
  results: RESULT_LABELS,
  roles: ROLE_LABELS,
  outbox: OUTBOX_STATE_LABELS,
  campaignKinds: CAMPAIGN_KIND_LABELS,
  audit: AUDIT_LABELS,
  auditEntities: AUDIT_ENTITY_LABELS,
});
export type ConsoleLabels = typeof CONSOLE_LABELS;

/** The label of a flag or reason code; the code itself when unknown (an old item, a code since renamed). */
export function findingLabel(code: string): string {
  return CONSOLE_LABELS.findings[code] ?? code;
}
