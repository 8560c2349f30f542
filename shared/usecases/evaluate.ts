import { type ApplicationDocument, parseApplication } from '../domain/application.js';
import {
  type Decision,
  type EligibilityContext,
  evaluateEligibility,
  type NetworkMembership,
} from '../domain/eligibility.js';
import { ValidationError } from '../domain/errors.js';
import type { CampaignItem } from '../store/store.js';
import type { Deps } from './ports.js';

export interface DecisionView {
  status: Decision['status'];
  phase: Decision['phase'];
  route: Decision['route'];
  flags: Decision['flags'];
  reasons: Decision['reasons'];
}

export const toDecisionView = (d: Decision): DecisionView => ({
  status: d.status,
  phase: d.phase,
  route: d.route,
  flags: d.flags,
  reasons: d.reasons,
});

/** Parse at the edge: a malformed document never goes further than this. */
export function parseOrThrow(body: unknown): ApplicationDocument {
  const parsed = parseApplication(body);
  if (!parsed.ok) throw new ValidationError(parsed.issues);
  return parsed.value;
}

/** The campaign named by the document or the link, if it exists and is running; unknown codes are ignored. */
export async function findCampaign(deps: Deps, code: string | null | undefined): Promise<CampaignItem | null> {
  if (!code) return null;
  const campaign = await deps.store.campaigns.get(code);
  if (!campaign) return null;
  const now = deps.clock().toISOString();
  // A campaign counts only while it runs (the chat applies the same dates to /go/:code).
  if (campaign.paused) return null;
  if (campaign.endsAt && campaign.endsAt < now) return null;
  if (campaign.startsAt && campaign.startsAt > now) return null;
  return campaign;
}

export function campaignContext(campaign: CampaignItem | null): EligibilityContext['campaign'] {
  if (!campaign) return null;
  return {
    kind: campaign.kind,
    route: campaign.route ?? undefined,
    territory: campaign.territory ?? undefined,
    network: campaign.network ?? undefined,
  };
}

/**
 * The networks whose member list holds this SIRET, with their agreements (the eligibility rule decides whether one
 * is in force): one Query on `MEMBER#<siret>` and one GetItem per network found (a SIRET is rarely in more than one).
 */
export async function networkMemberships(deps: Deps, siret: string | null | undefined): Promise<NetworkMembership[]> {
  if (!siret) return [];
  const members = await deps.store.networks.membershipsOf(siret);
  const networks = await Promise.all(members.map((m) => deps.store.networks.get(m.networkId)));
  return networks.flatMap((n) =>
    n
      ? [
          {
            networkId: n.id,
            name: n.name,
            agreement: n.agreement
              ? {
                  signedAt: n.agreement.signedAt ?? null,
                  startsAt: n.agreement.startsAt ?? null,
                  endsAt: n.agreement.endsAt ?? null,
                  phases: n.agreement.phases ?? null,
                  departements: n.agreement.departements ?? null,
                }
              : null,
          },
        ]
      : [],
  );
}

/** The calendar date in France (agreements are dated in French time). */
export function parisToday(now: Date): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(now);
}

/** What the eligibility rule needs from the store about an application: its campaign and its networks. */
export async function eligibilityContext(
  deps: Deps,
  campaign: CampaignItem | null,
  siret: string | null | undefined,
): Promise<EligibilityContext> {
  return {
    campaign: campaignContext(campaign),
    memberships: await networkMemberships(deps, siret),
    today: parisToday(deps.clock()),
  };
}

/** POST /api/eligibility: the decision for a document, storing nothing. */
export async function evaluateOnly(deps: Deps, body: unknown): Promise<DecisionView> {
  const doc = parseOrThrow(body);
  const producer = doc.profil === 'producteur';
  const campaign = producer ? await findCampaign(deps, doc.contexte?.campagne) : null;
  const ctx = producer ? await eligibilityContext(deps, campaign, doc.structure.siret) : { campaign: null };
  const decision = evaluateEligibility(doc, await deps.config(), ctx);
  return toDecisionView(decision);
}
