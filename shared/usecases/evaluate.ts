import { type ApplicationDocument, parseApplication } from '../domain/application.js';
import { type Decision, type EligibilityContext, evaluateEligibility } from '../domain/eligibility.js';
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

/** POST /api/eligibility: the decision for a document, storing nothing. */
export async function evaluateOnly(deps: Deps, body: unknown): Promise<DecisionView> {
  const doc = parseOrThrow(body);
  const campaign = doc.profil === 'producteur' ? await findCampaign(deps, doc.contexte?.campagne) : null;
  const decision = evaluateEligibility(doc, await deps.config(), { campaign: campaignContext(campaign) });
  return toDecisionView(decision);
}
