// The eligibility decision (eligibility.md §A–G, application.md "Decision"). Pure and fast: configuration lookups are
// prepared once per config object, geography and opening-hours lookups are memoised.
import type { AppConfig, NetworkConfig } from '../config/config.js';
import {
  type ApplicationDocument,
  isProducer,
  type LieuIntervention,
  type ProducerApplication,
} from './application.js';
import { resolveCommune } from './geography.js';
import { EQUIPMENT_ONLY_SERVICES } from './national-schema.js';
import { checkOpeningHours } from './opening-hours.js';
import { type Finding, type FlagCode, flag, type ReasonCode, reason, SOFT_FLAGS } from './reasons.js';
import { matchKey } from './text.js';

export type { Finding } from './reasons.js';

export type Status =
  | 'redirect'
  | 'not_eligible_yet'
  | 'pending_confirmation'
  | 'eligible_now'
  | 'eligible_waitlist'
  | 'needs_human_review';
export type Route = 'reseau' | 'territoriale' | 'libre';
export type Phase = 1 | 2 | 3;

export interface Decision {
  status: Status;
  phase: Phase | null;
  route: Route | null;
  flags: Finding[];
  reasons: Finding[];
  /** Départements of the places (from geography, in document order, without duplicates). */
  departements: string[];
}

export interface CampaignContext {
  kind: 'webinar' | 'tour' | 'hub' | 'network';
  route?: Route;
  territory?: string;
  network?: string;
}

export interface EligibilityContext {
  /**
   * The campaign behind `contexte.campagne`, as looked up by the caller. `undefined`: not looked up (no effect);
   * `null`: looked up and unknown (flag `campaign_unknown` when the document names a campaign).
   */
  campaign?: CampaignContext | null;
  /** True when the volume cap of a département is reached (counters live in the store). */
  capReached?: (departement: string) => boolean;
  /**
   * Where the reached cap comes from: `configured` (an admin's cap, reason `volume_cap_reached`) or `passes` (derived
   * from the passes injected there, reason `volume_cap_passes`, docs/territory.md). Default `configured`.
   */
  capSource?: 'configured' | 'passes';
  /**
   * The networks whose imported member list holds the application's SIRET, with their agreements, as looked up by
   * the caller. `undefined`: not looked up (the route follows the network's name and the configuration only);
   * an array: the réseau route needs one of them in force (`membershipInForce`), else the route falls back to
   * territoriale or libre with the reason `network_membership_not_found`.
   */
  memberships?: NetworkMembership[];
  /** Today's date (`YYYY-MM-DD`, Europe/Paris) for the agreements' dates; required with `memberships`. */
  today?: string;
}

/** A network's cooperation agreement as the route reads it (shared/store NetworkItem['agreement']). */
export interface NetworkAgreement {
  signedAt?: string | null;
  /** In force from (default: signedAt) to (inclusive, default: no end), as `YYYY-MM-DD`. */
  startsAt?: string | null;
  endsAt?: string | null;
  /** Phases and départements the agreement covers (absent or empty: all). */
  phases?: number[] | null;
  departements?: string[] | null;
}

export interface NetworkMembership {
  networkId: string;
  name: string;
  agreement: NetworkAgreement | null;
}

/**
 * A member's network gives the réseau route when its agreement is signed and in force today, and covers the
 * application's phase and every one of its départements (the network vouches for its members within its scope only).
 */
export function membershipInForce(
  m: NetworkMembership,
  at: { today: string; phase: Phase | null; departements: readonly string[] },
): boolean {
  const a = m.agreement;
  if (!a?.signedAt) return false;
  // Not before it is signed, even when its stated start is earlier (an agreement dated back is in force once signed).
  const signed = a.signedAt.slice(0, 10);
  const starts = (a.startsAt ?? a.signedAt).slice(0, 10);
  if (at.today < signed || at.today < starts) return false;
  if (a.endsAt && at.today > a.endsAt.slice(0, 10)) return false;
  if (a.phases?.length && (at.phase === null || !a.phases.includes(at.phase))) return false;
  if (a.departements?.length && !at.departements.every((d) => a.departements?.includes(d))) return false;
  return true;
}

// Redirect topics (A1). application.md says every profil but producteur is a `redirect`; eligibility.md A1 sends
// "autre" to human review. We follow the public contract (application.md): "autre" is a redirect too, to the topic
// `who-can-qualify` (the closest of faq-topics.md: it tells who the questionnaire is for) with a pointer to support,
// since there is no "contact support" topic. Prescripteurs go to `order-passes` (A1 allows order-passes / what-is-pass).
const REDIRECT_REASON: Record<
  Exclude<ProducerApplication['profil'] | ApplicationDocument['profil'], 'producteur'>,
  ReasonCode
> = {
  financeur: 'redirect_financeur',
  prescripteur: 'redirect_prescripteur',
  particulier: 'redirect_particulier',
  autre: 'redirect_autre',
};

interface Prepared {
  networks: Map<string, NetworkConfig>;
  phasesOpen: ReadonlySet<number>;
  territories: ReadonlySet<string>;
  softFlagThreshold: number;
  lowOpeningHoursThreshold: number;
  maxPlaces: number;
}

const prepared = new WeakMap<AppConfig, Prepared>();

function prepare(config: AppConfig): Prepared {
  let p = prepared.get(config);
  if (!p) {
    p = {
      networks: new Map(config.networks.map((n) => [matchKey(n.name), n])),
      phasesOpen: new Set(config.phasesOpen),
      territories: new Set(config.territoriesWithActiveDeployment),
      softFlagThreshold: config.softFlagThreshold,
      lowOpeningHoursThreshold: config.lowOpeningHoursThreshold,
      maxPlaces: config.maxPlaces,
    };
    prepared.set(config, p);
  }
  return p;
}

/**
 * Phase rule (eligibility.md C4): own open place → 1; else places of others → 2; else at people's homes → 3; else
 * itinerant → 1 for a structure, 2 for an entrepreneur individuel; remote only → null.
 */
export function phaseFor(where: readonly LieuIntervention[], formeJuridique: string): Phase | null {
  if (where.includes('lieu_propre')) return 1;
  if (where.includes('lieux_tiers')) return 2;
  if (where.includes('domicile')) return 3;
  if (where.includes('itinerant')) return formeJuridique === 'entrepreneur_individuel' ? 2 : 1;
  return null;
}

function networkWithAgreement(p: Prepared, name: string | null | undefined): NetworkConfig | null {
  if (!name) return null;
  const n = p.networks.get(matchKey(name));
  return n?.agreement ? n : null;
}

function campaignRoute(p: Prepared, c: CampaignContext | null | undefined): Route | null {
  if (!c) return null;
  if (c.route) return c.route;
  if (c.kind === 'network') return networkWithAgreement(p, c.network) ? 'reseau' : null;
  return 'territoriale'; // webinar, Tour, hub: the territorial route (domain.md)
}

function redirect(profil: keyof typeof REDIRECT_REASON): Decision {
  return {
    status: 'redirect',
    phase: null,
    route: null,
    flags: [],
    reasons: [reason(REDIRECT_REASON[profil])],
    departements: [],
  };
}

/**
 * Decision order: profil ≠ producteur → redirect; any hard gate → not_eligible_yet (one reason per gate);
 * abonnement a_confirmer → pending_confirmation; remote only → needs_human_review (phase null); more places than
 * config.maxPlaces → needs_human_review; phase not open → eligible_waitlist; soft flags ≥ threshold →
 * needs_human_review, else eligible_now; then a reached département cap turns either into eligible_waitlist.
 * Phase, route and flags are computed for every producteur outcome (they tell the actor what else to expect).
 */
export function evaluateEligibility(doc: ApplicationDocument, config: AppConfig, ctx?: EligibilityContext): Decision {
  if (!isProducer(doc)) return redirect(doc.profil);
  const p = prepare(config);
  const { structure: s, activite: a, engagements: e, equipe: team, lieux } = doc;
  const contexte = doc.contexte;

  // Hard gates (B3, B4b, B5, C1, E1, E2, E3): one reason each.
  const reasons: Finding[] = [];
  if (s.siret === null) reasons.push(reason('siret_missing'));
  if (!s.demandeur_est_representant_legal && s.demandeur_mandate !== true) reasons.push(reason('not_mandated'));
  if (!s.compte_bancaire) reasons.push(reason('no_bank_account'));
  if (!a.mediation) reasons.push(reason('no_mediation_activity'));
  if (!e.charte) reasons.push(reason('charter_refused'));
  if (!e.cgu) reasons.push(reason('cgu_refused'));
  if (e.abonnement === 'non') reasons.push(reason('subscription_refused'));

  // Places → départements (from the commune, never from the postal code prefix).
  const departements: string[] = [];
  let closedPublic = false;
  let unparsedHours = false;
  let weeklyHours = 0;
  let hoursKnown = lieux.length > 0;
  for (const l of lieux) {
    const r = resolveCommune(l.code_postal, l.commune);
    if (r.ok && !departements.includes(r.commune.departement)) departements.push(r.commune.departement);
    if (!l.accueil_inconditionnel) closedPublic = true;
    if (l.horaires) {
      const oh = checkOpeningHours(l.horaires);
      if (oh.ok) weeklyHours += oh.weeklyHours;
      else {
        unparsedHours = true;
        hoursKnown = false;
      }
    } else hoursKnown = false;
  }

  const phase = phaseFor(a.lieux_d_intervention, s.forme_juridique);

  // Flags.
  const codes: FlagCode[] = [];
  if (s.forme_juridique === 'collectivite') codes.push('regie_required');
  if (s.siret_deja_utilise === 'oui') codes.push('siret_possibly_used');
  if (s.siret_diffusible === 'non') codes.push('siret_non_diffusible');
  if (a.services.length > 0 && a.services.every((x) => EQUIPMENT_ONLY_SERVICES.includes(x))) {
    codes.push('no_accompaniment_service');
  }
  if (a.modalites_accompagnement.length > 0 && a.modalites_accompagnement.every((m) => m === 'En autonomie')) {
    codes.push('autonomy_only');
  }
  if (lieux.length > 1) codes.push('multi_sites');
  if (closedPublic) codes.push('closed_public');
  // C6: the declared weekly hours; when not declared, the hours computed from every place's opening_hours.
  const hours = a.heures_accueil_hebdo ?? (hoursKnown ? weeklyHours : undefined);
  if (hours !== undefined && hours < p.lowOpeningHoursThreshold) codes.push('low_opening_hours');
  if (a.reste_a_charge_nul_accepte === false) codes.push('no_zero_remaining_cost');
  if (team) {
    const volunteers = (team.benevoles ?? 0) + (team.services_civiques ?? 0);
    if (team.salaries === 0 && volunteers > 0 && team.benevoles_encadres === false) codes.push('supervision_weak');
    const noneDeclared =
      team.dispositif_programmes_nationaux !== undefined &&
      team.formations_labels !== undefined &&
      team.dispositif_programmes_nationaux.length === 0 &&
      team.formations_labels.length === 0 &&
      !team.autres_formations_labels;
    if (team.aucune_formation === true || noneDeclared) codes.push('no_training');
  }
  if (!e.publication) codes.push('no_publication');
  if (phase === 1 && a.lieux_d_intervention.includes('domicile')) codes.push('home_services_later');
  if (e.abonnement === 'a_confirmer') codes.push('subscription_to_confirm');
  if (contexte?.campagne && ctx && ctx.campaign === null) codes.push('campaign_unknown');
  const network = networkWithAgreement(p, contexte?.reseau);
  if (contexte?.reseau && !network) codes.push('network_without_agreement');
  if (unparsedHours) codes.push('opening_hours_unparsed');

  // Route (F): reseau > territoriale > libre.
  const fromCampaign = campaignRoute(p, ctx?.campaign);
  let route: Route = 'libre';
  const claimsNetwork = Boolean(network) || fromCampaign === 'reseau';
  // With the member lists looked up, the route follows them, not the name the actor typed.
  const memberships = ctx?.memberships;
  const today = ctx?.today ?? '';
  const listedMember = memberships?.some((m) => membershipInForce(m, { today, phase, departements }));
  const membershipMissing = memberships !== undefined && !listedMember && (claimsNetwork || Boolean(contexte?.reseau));
  if (memberships === undefined ? claimsNetwork : listedMember) route = 'reseau';
  else if (
    contexte?.contact_territorial === 'oui' ||
    fromCampaign === 'territoriale' ||
    departements.some((d) => p.territories.has(d))
  ) {
    route = 'territoriale';
  }

  const flags = codes.map(flag);
  let status: Status;
  if (reasons.length > 0) status = 'not_eligible_yet';
  else if (e.abonnement === 'a_confirmer') {
    status = 'pending_confirmation';
    reasons.push(reason('subscription_pending'));
  } else if (phase === null) {
    status = 'needs_human_review';
    reasons.push(reason('distance_only'));
  } else if (lieux.length > p.maxPlaces) {
    status = 'needs_human_review';
    reasons.push(reason('too_many_places'));
  } else if (!p.phasesOpen.has(phase)) {
    status = 'eligible_waitlist';
    reasons.push(reason('phase_closed'));
  } else {
    let soft = 0;
    for (const c of codes) if (SOFT_FLAGS.has(c)) soft++;
    if (soft >= p.softFlagThreshold) {
      status = 'needs_human_review';
      reasons.push(reason('review_soft_flags'));
    } else status = 'eligible_now';
  }
  // Volume cap (ratio consolidateur): applies after the review decision, as in eligibility.md §G, to every
  // application that would take a slot (a draft waiting for its subscription, one sent to a human, too).
  const capReached = ctx?.capReached;
  if (
    capReached &&
    (status === 'eligible_now' || status === 'needs_human_review' || status === 'pending_confirmation') &&
    departements.some((d) => capReached(d))
  ) {
    status = 'eligible_waitlist';
    reasons.push(reason(ctx?.capSource === 'passes' ? 'volume_cap_passes' : 'volume_cap_reached'));
  }

  // After the status (a reason here never makes an application ineligible): why the réseau route was not given.
  if (membershipMissing) reasons.push(reason('network_membership_not_found'));
  return { status, phase, route, flags, reasons, departements };
}
