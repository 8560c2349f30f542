import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { evaluateEligibility } from '../domain/eligibility.js';
import { SiretAlreadyClaimedError } from '../store/errors.js';
import type { ApplicationItem } from '../store/store.js';
import { NotAProducerError } from './errors.js';
import { type DecisionView, eligibilityContext, findCampaign, parseOrThrow, toDecisionView } from './evaluate.js';
import type { Deps } from './ports.js';
import { hashToken, newActorToken } from './principal.js';

export interface SubmitOptions {
  /** Same key + same SIRET = the same submission retried (the chat uses its conversation id). */
  idempotencyKey?: string;
  campaignCode?: string;
  source?: 'api' | 'chat';
}

export interface SubmitResult extends DecisionView {
  id: string;
  actorToken: string;
  existing: boolean;
}

/**
 * POST /api/applications and the chat's final step. Stores the application (claiming its SIRET), records the first
 * history event, then starts the execution named by the application id. Eligibility is evaluated here for the answer
 * and again by the workflow, which also applies the département caps atomically.
 */
export async function submitApplication(deps: Deps, body: unknown, opts: SubmitOptions = {}): Promise<SubmitResult> {
  const doc = parseOrThrow(body);
  const config = await deps.config();
  const campaignCode = opts.campaignCode ?? doc.contexte?.campagne ?? null;
  const campaign = await findCampaign(deps, campaignCode);
  const ctx = doc.profil === 'producteur' ? await eligibilityContext(deps, campaign, doc.structure.siret) : {};
  const decision = evaluateEligibility(doc, config, ctx);
  if (doc.profil !== 'producteur' || decision.status === 'redirect') {
    throw new NotAProducerError(decision.reasons[0]?.topic ?? decision.flags[0]?.topic);
  }

  const now = deps.clock().toISOString();
  const id = deps.newId();
  const actorToken = newActorToken(deps, id);
  const item: ApplicationItem = {
    id,
    version: 1,
    stage: 'submitted',
    status: decision.status,
    phase: decision.phase,
    route: decision.route,
    flags: decision.flags,
    reasons: decision.reasons,
    document: doc,
    siret: doc.structure?.siret ?? null,
    departements: decision.departements,
    actorTokenHash: hashToken(actorToken),
    round: 1,
    campaign: campaign
      ? {
          code: campaign.code,
          kind: campaign.kind,
          label: campaign.label,
          territory: campaign.territory ?? null,
          network: campaign.network ?? null,
        }
      : null,
    idempotencyKey: opts.idempotencyKey ?? null,
    source: opts.source ?? 'api',
    createdAt: now,
    updatedAt: now,
  };

  try {
    await deps.store.applications.create(item);
  } catch (err) {
    const retried = await retriedSubmission(deps, err, item, opts.idempotencyKey);
    if (retried) return retried;
    throw err;
  }
  await deps.store.history.append({
    applicationId: id,
    key: 'r1#submitted',
    at: now,
    actor: { kind: 'actor' },
    type: 'submitted',
    stage: 'submitted',
    data: { status: decision.status, source: item.source, campaign: campaign?.code ?? null },
  });
  await startExecution(deps, id);
  return { id, actorToken, existing: false, ...toDecisionView(decision) };
}

/** Execution input carries ids only; personal data stays in the application item. */
export async function startExecution(
  deps: Deps,
  applicationId: string,
  resumeStage?: string,
  round = 1,
): Promise<void> {
  await deps.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: deps.stateMachineArn,
      name: resumeStage ? `${applicationId}-resume-${deps.clock().getTime()}` : applicationId,
      input: JSON.stringify({ applicationId, round, resumeStage: resumeStage ?? 'submitted' }),
    }),
  );
}

/**
 * A chat that submits twice (lost answer, double click) gets the same application back with a fresh actor token,
 * instead of a 409 about its own SIRET. Anyone else gets the 409.
 */
async function retriedSubmission(
  deps: Deps,
  err: unknown,
  item: ApplicationItem,
  key: string | undefined,
): Promise<SubmitResult | null> {
  if (!key || !(err instanceof SiretAlreadyClaimedError) || !item.siret) return null;
  const existing = await deps.store.applications.getBySiret(item.siret);
  if (!existing || existing.idempotencyKey !== key) return null;
  const actorToken = newActorToken(deps, existing.id);
  const updated = await deps.store.applications.update(existing.id, existing.version, {
    actorTokenHash: hashToken(actorToken),
    updatedAt: deps.clock().toISOString(),
  });
  if (updated.stage === 'submitted') {
    // The first attempt may have stored the application but not started its execution: start it (same name, same
    // input: idempotent). A failure here is logged; the restart sweep picks the application up.
    await startExecution(deps, existing.id, undefined, updated.round).catch((err) =>
      deps.logger.warn({ err, applicationId: existing.id }, 'execution not started on a retried submission'),
    );
  }
  return {
    id: existing.id,
    actorToken,
    existing: true,
    status: existing.status,
    phase: existing.phase,
    route: existing.route,
    flags: existing.flags,
    reasons: existing.reasons,
  };
}
