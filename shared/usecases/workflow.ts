import type { AppConfig } from '../config/config.js';
import { resolvePlaces } from '../domain/application.js';
import { evaluateEligibility, membershipInForce } from '../domain/eligibility.js';
import { IllegalTransitionError } from '../domain/errors.js';
import { eventBetween, isTerminal, type Stage } from '../domain/path.js';
import { ConflictError } from '../store/errors.js';
import type { ApplicationItem } from '../store/store.js';
import { completeAddressConfirmation } from './address-confirmation.js';
import { redeliverDecision } from './decisions.js';
import { ApplicationNotFoundError } from './errors.js';
import { eligibilityContext, findCampaign, networkMemberships, parisToday } from './evaluate.js';
import { settleEnd } from './lifecycle.js';
import { notifyStage } from './notify.js';
import { publishedPlacesWithCoordinates } from './place-coordinates.js';
import type { Deps } from './ports.js';
import { volumeCapsFor } from './volume-caps.js';

/** The decisions that go on along the path, hence take a slot in a département's volume cap. */
const TAKES_A_SLOT = new Set(['eligible_now', 'needs_human_review', 'pending_confirmation']);

/**
 * The use cases behind the state machine's Tasks. Each is idempotent: Step Functions retries a Task after a
 * transient error, and the local runtime re-enters a stage after a restart, so every write is either a conditional
 * state change that notices it was already made, or a deterministic-key write that overwrites itself.
 * The source of truth for `round` and `stage` is the application item, not the execution input.
 */

export type EvaluationOutcome = 'not_eligible' | 'waitlist' | 'review';

export interface EvaluationResult {
  outcome: EvaluationOutcome;
  route: 'reseau' | 'territoriale' | 'libre';
  status: string;
  round: number;
  /** The applicant's address is confirmed (first sign-in link), or the configuration does not require it. */
  addressConfirmed: boolean;
}

async function load(deps: Deps, applicationId: string): Promise<ApplicationItem> {
  const app = await deps.store.applications.get(applicationId);
  if (!app) throw new ApplicationNotFoundError(applicationId);
  return app;
}

/**
 * Task EvaluateEligibility: the decision again, now with the département caps applied atomically. The write is
 * conditional on the version read; someone else may write the item meanwhile (a retried submission used to, the actor
 * may): on a stale version, read again and apply the evaluation to the fresh item instead of failing the application.
 */
export async function evaluateStep(deps: Deps, applicationId: string): Promise<EvaluationResult> {
  const config = await deps.config();
  // A slot taken in a département's cap by an attempt whose write then conflicted stays ours: counted once.
  let admittedHere: string | null = null;
  for (let attempt = 0; ; attempt++) {
    const app = await load(deps, applicationId);
    const { decision, admittedIn } = await evaluateWithCaps(deps, app, config, admittedHere);
    admittedHere = admittedIn;
    try {
      await deps.store.applications.update(app.id, app.version, {
        status: decision.status,
        phase: decision.phase,
        route: decision.route,
        flags: decision.flags,
        reasons: decision.reasons,
        departements: decision.departements,
        admittedIn,
        updatedAt: deps.clock().toISOString(),
      });
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 4) throw err;
      continue;
    }
    return recordEvaluation(deps, app, decision, config);
  }
}

async function evaluateWithCaps(
  deps: Deps,
  app: ApplicationItem,
  config: Awaited<ReturnType<Deps['config']>>,
  admittedBefore: string | null,
) {
  const campaign = app.campaign?.code ? await findCampaign(deps, app.campaign.code) : null;
  const ctx = await eligibilityContext(deps, campaign, app.siret);
  let decision = evaluateEligibility(app.document as never, config, ctx);

  // Admission against a département's cap is counted once per application (a retried Task must not count twice).
  // Every application that goes on takes a slot, a draft waiting for its subscription (`pending_confirmation`)
  // included; in its first capped département, else (uncapped) in its first one, so the counts are already right
  // when a cap appears there later (passes injected, an admin's cap). `settleEnd` gives the slot back.
  let admittedIn: string | null = app.admittedIn ?? admittedBefore;
  if (TAKES_A_SLOT.has(decision.status) && !admittedIn && decision.departements.length > 0) {
    const caps = await volumeCapsFor(deps, config, decision.departements);
    const capped = decision.departements.find((d) => caps.get(d));
    const dep = capped ?? (decision.departements[0] as string);
    const cap = capped ? caps.get(capped) : null;
    const admitted = await deps.store.counters.incrementUpTo(dep, cap ? cap.cap : Number.MAX_SAFE_INTEGER);
    if (admitted) admittedIn = dep;
    else {
      decision = evaluateEligibility(app.document as never, config, {
        ...ctx,
        capReached: (d) => d === dep,
        capSource: cap?.source ?? 'configured',
      });
    }
  }
  return { decision, admittedIn };
}

async function recordEvaluation(
  deps: Deps,
  app: ApplicationItem,
  decision: ReturnType<typeof evaluateEligibility>,
  config: AppConfig,
): Promise<EvaluationResult> {
  const outcome: EvaluationOutcome =
    decision.status === 'not_eligible_yet' || decision.status === 'redirect'
      ? 'not_eligible'
      : decision.status === 'eligible_waitlist'
        ? 'waitlist'
        : 'review';
  await deps.store.history.append({
    applicationId: app.id,
    key: `r${app.round}#evaluated`,
    at: deps.clock().toISOString(),
    actor: { kind: 'system' },
    type: 'evaluated',
    stage: app.stage,
    data: {
      status: decision.status,
      phase: decision.phase,
      route: decision.route,
      flags: decision.flags.map((f) => f.code),
    },
  });
  deps.metrics.count('EligibilityOutcome', { status: decision.status });
  const addressConfirmed = Boolean(app.addressConfirmedAt) || !config.workflow.addressConfirmation.required;
  return { outcome, route: decision.route ?? 'libre', status: decision.status, round: app.round, addressConfirmed };
}

/**
 * Move the application to `stage` along the qualification path (shared/domain/path.ts), record it and, unless
 * `notify` is false (the stage whose message a later Task sends), tell the actor. Idempotent: already there → no
 * write. A move the path does not allow is an IllegalTransitionError (the Task's Catch records it). With `round`,
 * the move belongs to that round: if the actor resubmitted meanwhile (the round moved on), it is stale and skipped.
 */
async function enterStage(
  deps: Deps,
  app: ApplicationItem,
  stage: Stage,
  options: { extra?: Partial<ApplicationItem>; notify?: boolean; round?: number } = {},
): Promise<ApplicationItem> {
  let current = app;
  // The actor may write the same item meanwhile (commitments, a corrected document): on a version conflict, read
  // again and move the stage on the fresh item. A conflict is not a fault of the workflow.
  for (let attempt = 0; current.stage !== stage; attempt++) {
    if (options.round !== undefined && current.round !== options.round) return current;
    if (!eventBetween(current.stage, stage)) throw new IllegalTransitionError(current.stage, `enter ${stage}`);
    try {
      current = await deps.store.applications.update(current.id, current.version, {
        stage,
        ...options.extra,
        updatedAt: deps.clock().toISOString(),
      });
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 4) throw err;
      current = await load(deps, app.id);
    }
  }
  await deps.store.history.append({
    applicationId: app.id,
    key: `r${current.round}#${stage}#entered`,
    at: deps.clock().toISOString(),
    actor: { kind: 'system' },
    type: 'stage_entered',
    stage,
  });
  if (options.notify !== false) await notifyStage(deps, current, stage, current.round);
  return current;
}

/** Callback Tasks (Waitlist, StaffReview, AwaitChanges, ActorCommitments, StaffFinalApproval) open a human step. */
export async function openTaskStep(
  deps: Deps,
  applicationId: string,
  step: Stage,
  taskToken: string,
  execution?: string,
): Promise<{ taskId: string }> {
  const app = await load(deps, applicationId);
  // Checked before the task exists, so a move the path forbids leaves no open task behind.
  if (app.stage !== step && !eventBetween(app.stage, step))
    throw new IllegalTransitionError(app.stage, `enter ${step}`);
  // A decision already claimed for this step and round by another execution (the one that ran before a restart)
  // was never followed by that execution: deliver it to this one, never open the step again under a history that
  // says it was decided. The same execution coming back to the step (a waitlist released then waitlisted again)
  // opens it again, as before.
  const taskId = deps.store.tasks.idFor(app.id, step, app.round);
  const existing = execution ? await deps.store.tasks.get(taskId) : null;
  if (execution && existing?.status === 'decided' && existing.decision && existing.execution !== execution) {
    await enterStage(deps, app, step, { round: app.round });
    await redeliverDecision(deps, existing, { token: taskToken, execution });
    return { taskId };
  }
  // The task is stored before the stage changes: whoever sees the stage can always find its open task.
  await deps.store.tasks.open({
    applicationId: app.id,
    step,
    round: app.round,
    token: taskToken,
    openedAt: deps.clock().toISOString(),
    route: app.route,
    phase: app.phase,
    departements: app.departements,
    flags: app.flags.map((f) => f.code),
    assignee: null,
    ...(execution ? { execution } : {}),
  });
  const entered = await enterStage(deps, app, step, { round: app.round });
  // The sign-in that confirms the address may have landed between EvaluateEligibility and this task: it found no
  // task to complete, so the step completes itself here (the use case writes the confirmation first, then looks for
  // the task; this reads the application after storing the task: one of the two always sees the other).
  if (step === 'address_confirmation' && entered.addressConfirmedAt) {
    await completeAddressConfirmation(deps, app.id, app.round);
  }
  return { taskId };
}

/** What the NetworkAttestation Task returns (into `$.attestation`): ids and public facts only, no personal data. */
export type AttestationResult =
  | {
      attested: true;
      networkId: string;
      networkName: string;
      agreementSignedAt: string;
      memberImportedAt: string | null;
    }
  | { attested: false };

/**
 * Task NetworkAttestation (the réseau branch of the state machine): the member's network attests in place of the
 * staff review. The membership is read again now (an agreement may have ended, a member may have been removed since
 * the evaluation); in force, the application enters `network_attestation` with the attestation in its history, and
 * the Choice that follows goes on to the actor's commitments. Not in force: nothing is written and the Choice sends
 * the application to the staff review (the safe default). Idempotent: a retried Task finds the stage entered.
 */
export async function attestStep(deps: Deps, applicationId: string): Promise<AttestationResult> {
  const app = await load(deps, applicationId);
  const today = parisToday(deps.clock());
  const memberships = await networkMemberships(deps, app.siret);
  const inForce = memberships.find((m) =>
    membershipInForce(m, { today, phase: app.phase ?? null, departements: app.departements ?? [] }),
  );
  if (!inForce?.agreement?.signedAt || !app.siret) return { attested: false };
  // The member row's import date goes into the attestation: which list vouched for this SIRET.
  const member = (await deps.store.networks.membershipsOf(app.siret)).find((m) => m.networkId === inForce.networkId);
  const result: AttestationResult = {
    attested: true,
    networkId: inForce.networkId,
    networkName: inForce.name,
    agreementSignedAt: inForce.agreement.signedAt,
    memberImportedAt: member?.importedAt ?? null,
  };
  if (app.stage !== 'network_attestation') {
    await deps.store.history.append({
      applicationId: app.id,
      key: `r${app.round}#network_attested`,
      at: deps.clock().toISOString(),
      actor: { kind: 'system' },
      type: 'network_attested',
      stage: app.stage,
      data: {
        networkId: result.networkId,
        networkName: result.networkName,
        agreementSignedAt: result.agreementSignedAt,
        memberImportedAt: result.memberImportedAt,
      },
    });
  }
  await enterStage(deps, app, 'network_attestation', { round: app.round, notify: false });
  return result;
}

export type Outcome = 'not_eligible' | 'rejected' | 'expired';

const OUTCOME_STAGE: Record<Outcome, Stage> = {
  not_eligible: 'not_eligible',
  rejected: 'rejected',
  expired: 'expired',
};

/** RecordNotEligible / RecordRejected / RecordExpired. */
export async function recordOutcomeStep(deps: Deps, applicationId: string, outcome: Outcome): Promise<void> {
  const app = await load(deps, applicationId);
  const stage = OUTCOME_STAGE[outcome];
  await deps.store.tasks.cancelOpen(app.id, `outcome:${outcome}`);
  // Rejections and expiries are outcomes, not errors: nothing goes to `error` (the staff comment is in the history).
  const done = await enterStage(deps, app, stage);
  // A SIRET "qualifies once": an application that could not go further frees it for a later, corrected one (a
  // rejected one after a delay), and gives back its département slot.
  await settleEnd(deps, done);
}

/** Qualify: record the qualification and publish the places the actor agreed to publish. */
export async function qualifyStep(deps: Deps, applicationId: string): Promise<void> {
  const app = await load(deps, applicationId);
  const places = resolvePlaces(app.document as never);
  const publish = (app.document as { engagements?: { publication?: boolean } }).engagements?.publication === true;
  const now = deps.clock();
  if (publish) await deps.store.places.replace(app.id, await publishedPlacesWithCoordinates(deps, app, places, now));
  // The Notify state that follows sends the « qualifié·e » message: telling it here too would be a second write
  // (and a failed conditional put) per qualification for the same message.
  await enterStage(deps, app, 'qualified', { extra: { qualifiedAt: now.toISOString() }, notify: false });
  // A retried Task finds the application qualified already: counted once.
  if (app.stage !== 'qualified') deps.metrics.count('Qualifications');
}

/** Notify: the message for the stage the application is in (the end of the path). */
export async function notifyStep(deps: Deps, applicationId: string): Promise<void> {
  const app = await load(deps, applicationId);
  await notifyStage(deps, app, app.stage, app.round);
}

/** RecordError: the Catch of every Task. The error is recorded; the execution then fails. */
export async function recordErrorStep(
  deps: Deps,
  applicationId: string,
  error: { Error?: string; Cause?: string },
): Promise<void> {
  const app = await load(deps, applicationId);
  const name = (error.Error ?? 'Error').slice(0, 200);
  // Cause can hold a stack trace from the failing Lambda: keep it in the item for staff, never show it to the actor.
  const message = (error.Cause ?? '').slice(0, 2000);
  await deps.store.tasks.cancelOpen(app.id, 'error');
  if (!isTerminal(app.stage)) {
    await enterStage(deps, app, 'failed', { extra: { error: { name, message } } });
    return;
  }
  // The path had already ended (e.g. Notify failing after Qualify): the outcome stands; the error is kept for staff.
  await deps.store.applications.update(app.id, app.version, {
    error: { name, message },
    updatedAt: deps.clock().toISOString(),
  });
  await deps.store.history.append({
    applicationId: app.id,
    key: `r${app.round}#error`,
    at: deps.clock().toISOString(),
    actor: { kind: 'system' },
    type: 'error_recorded',
    stage: app.stage,
  });
}
