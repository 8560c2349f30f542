import { createHash } from 'node:crypto';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { evaluateEligibility } from '../domain/eligibility.js';
import { SiretAlreadyClaimedError } from '../store/errors.js';
import type { ApplicationItem } from '../store/store.js';
import { indexApplicationAddresses, sendSignInLink } from './actor-sign-in.js';
import { IdempotencyKeyReusedError, IdempotencyRequestInProgressError, NotAProducerError } from './errors.js';
import { type DecisionView, eligibilityContext, findCampaign, parseOrThrow, toDecisionView } from './evaluate.js';
import type { Deps } from './ports.js';
import { addressesOf, hashToken, newActorToken } from './principal.js';
import { takeSubmissionSlot } from './submission-throttle.js';

export interface SubmitOptions {
  /** Same key + same SIRET + same body = the same submission retried (the chat uses its conversation id). */
  idempotencyKey?: string;
  campaignCode?: string;
  source?: 'api' | 'chat';
  /** The caller's address (the API route's source IP): submissions are rate limited per address when given. */
  sourceIp?: string;
}

export type SubmitResult = DecisionView & { id: string } & (
    | { existing: false; actorToken: string }
    /**
     * A replay: the application the first request created, its decision, and no token. The actor token is given
     * once, with the first answer; a replay never issues one (whoever knows a key must not get the application).
     */
    | { existing: true; actorToken?: undefined; message: string }
  );

export const REPLAY_MESSAGE =
  'Cette demande a déjà été reçue avec cette clé d’idempotence : le jeton de suivi a été remis avec la première réponse.';

/** JSON with object keys sorted at every level, so that key order and formatting do not change a fingerprint. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The fingerprint of a submission: the parsed (normalised) document and the campaign it came with. Parsing first
 * makes a retried body that differs only in key order or in the SIRET's spaces the same request.
 */
export function requestFingerprint(doc: unknown, campaignCode: string | null): string {
  return createHash('sha256')
    .update(canonicalJson({ document: doc, campaign: campaignCode }))
    .digest('hex');
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

  const fingerprint = requestFingerprint(doc, campaignCode);
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
    requestFingerprint: fingerprint,
    source: opts.source ?? 'api',
    createdAt: now,
    updatedAt: now,
  };

  const releaseSlot = await takeSubmissionSlot(deps, config.submissionLimits, {
    sourceIp: opts.sourceIp,
    email: doc.structure?.representant_legal?.courriel ?? undefined,
  });
  try {
    await deps.store.applications.create(item);
  } catch (err) {
    const retried = await retriedSubmission(deps, err, item, opts.idempotencyKey);
    if (retried) {
      // A replay creates nothing: it does not use up the sender's submissions.
      await releaseSlot();
      return retried;
    }
    throw err;
  }
  // Counted once, when the item is new: an idempotent retry returned above.
  deps.metrics.count('ApplicationsSubmitted');
  await deps.store.history.append({
    applicationId: id,
    key: 'r1#submitted',
    at: now,
    actor: { kind: 'actor' },
    type: 'submitted',
    stage: 'submitted',
    data: { status: decision.status, source: item.source, campaign: campaign?.code ?? null },
  });
  await indexApplicationAddresses(deps, item);
  await startExecution(deps, id);
  // The applicant confirms their address with this link (docs/actor.md): until then the application waits before
  // staff review. A failure to send is logged: the actor asks for a new link on /espace or in the chat.
  const address = addressesOf(item)[0];
  if (address && decision.status !== 'not_eligible_yet') {
    await sendSignInLink(deps, address, { purpose: 'confirm', applicationId: id }).catch((err) =>
      deps.logger.warn({ err, applicationId: id }, 'address confirmation link not sent'),
    );
  }
  return { id, actorToken, existing: false, ...toDecisionView(decision) };
}

/** Execution input carries ids only; personal data stays in the application item. */
export async function startExecution(
  deps: Deps,
  applicationId: string,
  resumeStage?: string,
  round = 1,
): Promise<void> {
  try {
    await deps.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: deps.stateMachineArn,
        name: resumeStage ? `${applicationId}-resume-${deps.clock().getTime()}` : applicationId,
        input: JSON.stringify({ applicationId, round, resumeStage: resumeStage ?? 'submitted' }),
      }),
    );
  } catch (err) {
    // The first execution is named by the application: if it exists, a retried submission already started it.
    if (!resumeStage && (err as { name?: string })?.name === 'ExecutionAlreadyExists') return;
    throw err;
  }
}

/**
 * A client that submits twice with one `Idempotency-Key` (lost answer, double click, network retry) gets its
 * application back instead of a 409 about its own SIRET: the same decision, `existing: true`, and no token. Nothing is
 * written: an earlier version rotated the token and bumped the version, which made the workflow's evaluation fail
 * (issue 12). The replay is answered only when its body has the first request's fingerprint (else 422); anyone
 * without the key gets the 409.
 */
async function retriedSubmission(
  deps: Deps,
  err: unknown,
  item: ApplicationItem,
  key: string | undefined,
): Promise<SubmitResult | null> {
  if (!key || !(err instanceof SiretAlreadyClaimedError) || !item.siret) return null;
  // The claim is written before the application item: a concurrent first request may hold the claim while its item
  // is not stored yet. Wait a little for it, then say « in progress » (409) rather than « SIRET used ».
  let existing: ApplicationItem | null = null;
  for (let attempt = 0; attempt < 6 && !existing; attempt++) {
    existing = await deps.store.applications.get(err.applicationId);
    if (!existing) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
  }
  if (!existing) {
    // The claim may also have been released or taken over meanwhile: only a held claim is « in progress ».
    const holder = await deps.store.applications.getBySiret(item.siret);
    if (!holder) throw new IdempotencyRequestInProgressError();
    existing = holder;
  }
  if (existing.idempotencyKey !== key) return null;
  // Items stored before fingerprints existed: the first round's document is the submitted one.
  const stored =
    existing.requestFingerprint ??
    (existing.round === 1 ? requestFingerprint(existing.document, existing.campaign?.code ?? null) : null);
  if (stored !== item.requestFingerprint) throw new IdempotencyKeyReusedError();
  if (existing.stage === 'submitted' && isStalled(deps, existing)) {
    // The first attempt stored the application but evidently never started its execution (it crashed in between):
    // start it (same name, same input: idempotent). A failure is logged; the restart sweep picks it up.
    await startExecution(deps, existing.id, undefined, existing.round).catch((e) =>
      deps.logger.warn({ err: e, applicationId: existing.id }, 'execution not started on a retried submission'),
    );
  }
  return {
    id: existing.id,
    existing: true,
    message: REPLAY_MESSAGE,
    status: existing.status,
    phase: existing.phase,
    route: existing.route,
    flags: existing.flags,
    reasons: existing.reasons,
  };
}

/** Still `submitted` this long after its creation: the first request did not start the execution. */
const STALLED_MS = 30_000;
const isStalled = (deps: Deps, app: ApplicationItem) => deps.clock().getTime() - Date.parse(app.updatedAt) > STALLED_MS;
