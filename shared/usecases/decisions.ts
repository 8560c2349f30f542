import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import * as z from 'zod';
import { ValidationError } from '../domain/errors.js';
import { STAFF_STEPS, type Stage } from '../domain/path.js';
import { NotFoundError, TaskStepMismatchError } from '../store/errors.js';
import type { TaskItem } from '../store/store.js';
import { requireValidatedBankDetails } from './bank-details-gate.js';
import { StepNotOpenError, UseCaseError } from './errors.js';
import type { Deps } from './ports.js';
import type { StaffPrincipal } from './principal.js';

/**
 * A human decision on an open step. The first decision wins: the task item is claimed with a conditional write
 * (TaskAlreadyDecidedError for the second, with who and when), then the decision is handed to Step Functions with
 * the task token, which never leaves the backend. Approve → SendTaskSuccess; reject / ask for changes →
 * SendTaskFailure with a named error the state machine catches (never "success with false").
 */

/** The fields of a staff decision, shared by the one-task and the bulk routes. */
export const DecisionFields = {
  decision: z.enum(['approve', 'reject', 'request_changes'], {
    error: 'La décision doit être « approve », « reject » ou « request_changes ».',
  }),
  comment: z
    .string({ error: 'Le commentaire doit être un texte.' })
    .trim()
    .max(4000, { error: 'Le commentaire est trop long (4 000 caractères au plus).' })
    .optional(),
};

/** A refusal or a request for changes says why: the actor reads the comment. */
export function commentRequiredToRefuse(v: { decision: string; comment?: string }, ctx: z.RefinementCtx): void {
  if (v.decision !== 'approve' && !v.comment) {
    ctx.addIssue({
      code: 'custom',
      path: ['comment'],
      message: 'Un commentaire est obligatoire pour refuser ou demander des corrections.',
    });
  }
}

export const DecisionBodySchema = z.object(DecisionFields).strict().superRefine(commentRequiredToRefuse);

export type DecisionBody = z.infer<typeof DecisionBodySchema>;

const FAILURE_ERROR = { reject: 'Rejected', request_changes: 'ChangesRequested' } as const;

export async function decideTask(
  deps: Deps,
  staff: StaffPrincipal,
  taskId: string,
  body: unknown,
): Promise<{ taskId: string; decision: string }> {
  const parsed = DecisionBodySchema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const { decision, comment } = parsed.data;
  if (decision === 'approve') {
    // One read of the task serves both checks (they apply to an open final approval only).
    const task = await deps.store.tasks.get(taskId);
    await checkFourEyes(deps, staff, taskId, task);
    await checkBankDetails(deps, task);
  }
  // A waitlisted application is released or refused, never sent back for changes.
  const steps = decision === 'request_changes' ? STAFF_STEPS.filter((st) => st !== 'waitlisted') : STAFF_STEPS;
  try {
    await completeTask(deps, taskId, { decision, comment, by: staff.email, byKind: 'staff' }, steps);
  } catch (err) {
    if (err instanceof NotFoundError) throw new TaskNotFoundError(taskId);
    if (!(err instanceof TaskStepMismatchError)) throw err;
    if (err.step === 'waitlisted') {
      throw new ValidationError([
        {
          path: 'decision',
          message: "Une demande en liste d'attente peut être libérée (approve) ou refusée (reject).",
        },
      ]);
    }
    throw new StepNotOpenError('staff step', err.step);
  }
  return { taskId, decision };
}

/**
 * Four eyes (configuration `console.fourEyes`, on by default): the final approval is refused to the person who
 * approved the application's latest staff review. Two reads, on approvals only: the task, and for a final approval
 * the application's tasks (gsi3 `TASKS#<applicationId>`). An unknown task passes here and is answered 404 by the claim.
 * `known`: the task as the caller already read it (decideTask reads it once for this check and the bank details').
 */
export async function checkFourEyes(
  deps: Deps,
  staff: StaffPrincipal,
  taskId: string,
  known?: TaskItem | null,
): Promise<void> {
  if (!(await deps.config()).console.fourEyes) return;
  const task = known === undefined ? await deps.store.tasks.get(taskId) : known;
  if (task?.step !== 'final_approval' || task.status !== 'open') return;
  const reviews = (await deps.store.tasks.list(task.applicationId))
    .filter((t) => t.step === 'staff_review' && t.status === 'decided' && t.decision?.decision === 'approve')
    .sort((a, b) => b.round - a.round);
  const approver = reviews[0]?.decision?.by;
  if (approver && approver.trim().toLowerCase() === staff.email.trim().toLowerCase()) throw new FourEyesError(taskId);
}

/** The final approval waits for validated bank details (`commitments.bankDetailsRequired`, shared/usecases/bank-details.ts). */
async function checkBankDetails(deps: Deps, task: TaskItem | null): Promise<void> {
  if (task?.step !== 'final_approval' || task.status !== 'open') return;
  await requireValidatedBankDetails(deps, task.applicationId);
}

/** 403 `four_eyes`: the same person cannot approve the staff review and give the final approval. */
export class FourEyesError extends UseCaseError {
  override readonly name = 'FourEyesError';
  override readonly httpStatus = 403;
  override readonly publicCode = 'four_eyes';
  constructor(readonly taskId: string) {
    super(
      "Vous avez approuvé la revue de cette demande : l'approbation finale doit être donnée par une autre personne de l'équipe (principe des quatre yeux).",
    );
  }
}

export class TaskNotFoundError extends UseCaseError {
  override readonly name = 'TaskNotFoundError';
  override readonly httpStatus = 404;
  override readonly publicCode = 'not_found';
  constructor(readonly taskId: string) {
    super('Tâche introuvable.');
  }
}

type DecisionKind = 'approve' | 'reject' | 'request_changes';

/**
 * Claim, tell Step Functions, then record. The history event is written only once Step Functions took the decision:
 * the history never states what did not happen.
 * - Step Functions refuses the token (the execution timed out or moved on): the claim stays, nothing is recorded,
 *   the caller gets a 409.
 * - Step Functions does not answer (throttled, unreachable): the step is given back (open again), nothing recorded.
 * - The process dies between the claim and the delivery (or before the execution moved on): the task stays decided
 *   with its decision, and when the qualification resumes at that step after the restart, `openTaskStep` delivers
 *   the recorded decision to the resumed execution (`redeliverDecision`) instead of opening the step again.
 * `steps` limits the claim to tasks open at those steps (TaskStepMismatchError otherwise), checked by the claim's
 * own condition: no read before the write.
 */
export async function completeTask(
  deps: Deps,
  taskId: string,
  d: {
    decision: DecisionKind;
    comment?: string;
    by: string;
    byKind: 'staff' | 'actor';
    output?: Record<string, unknown>;
    /** false: the caller records its own history event (the address confirmation is not a decision). */
    history?: boolean;
  },
  steps?: readonly Stage[],
): Promise<void> {
  const at = deps.clock().toISOString();
  const claimed = await deps.store.tasks.claim(
    taskId,
    { decision: d.decision, by: d.by, at, comment: d.comment, byKind: d.byKind, output: d.output },
    steps ? { steps } : {},
  );
  try {
    await sendDecision(deps, claimed.token, claimed.taskId, d);
  } catch (err) {
    if (isStaleToken(err)) {
      await deps.store.tasks.closeDelivery(claimed.taskId, claimed.token, 'stale');
      throw new StaleTaskError(claimed.taskId);
    }
    // Step Functions did not take the decision (throttled, unreachable): give the step back so it can be decided again.
    await deps.store.tasks.open({ ...claimed, assignee: claimed.assignee ?? null });
    throw err;
  }
  // Out of the undelivered listing; a crash before this line only costs a redundant delivery, answered as stale.
  await deps.store.tasks.closeDelivery(claimed.taskId, claimed.token, 'delivered');
  if (d.history !== false) await recordDecision(deps, claimed, { ...d, at });
}

/**
 * After a restart, the resumed execution reached a step whose task was already decided by another execution that
 * never went on (the process died between the claim and the delivery, or before the next stage was written): the
 * decision is delivered to the resumed execution's token, then recorded (the history event's key is deterministic:
 * recorded once however many times this runs). A transient failure is thrown (the Task retries with a new token).
 */
export async function redeliverDecision(
  deps: Deps,
  task: TaskItem,
  to: { token: string; execution: string },
): Promise<void> {
  const d = task.decision;
  if (!d || !isDecisionKind(d.decision)) throw new TypeError(`task ${task.taskId} has no decision to deliver`);
  const decision = { decision: d.decision, comment: d.comment, byKind: d.byKind ?? 'staff', output: d.output };
  await sendDecision(deps, to.token, task.taskId, decision);
  // After the delivery: a failed delivery leaves the task pointing at the old execution, so a retry delivers again.
  await deps.store.tasks.redeliver(task.taskId, { ...to, previousToken: task.token });
  await recordDecision(deps, task, { ...decision, by: d.by, at: d.at });
  deps.logger.info({ taskId: task.taskId, applicationId: task.applicationId }, 'decision delivered after restart');
}

/**
 * The reminder job's sweep (reminders.ts), for AWS where nothing resumes an execution: a decision claimed more than
 * `workflow.redeliverAfterSeconds` ago and never delivered (the function died between the claim and
 * SendTaskSuccess/Failure) is delivered to the token it was claimed under, then recorded (deterministic history key:
 * once, however many runs). Step Functions no longer waiting on that token (timed out, stopped, or it took the
 * decision before the crash) closes it without a history event: the history never states what may not have happened.
 * A transient failure leaves it listed for the next run.
 */
export async function redeliverClaimed(deps: Deps, task: TaskItem): Promise<'delivered' | 'stale' | 'skipped'> {
  const d = task.decision;
  if (task.status !== 'decided' || !d || !isDecisionKind(d.decision)) return 'skipped';
  const decision = { decision: d.decision, comment: d.comment, byKind: d.byKind ?? 'staff', output: d.output };
  try {
    await sendDecision(deps, task.token, task.taskId, decision);
  } catch (err) {
    if (!isStaleToken(err)) throw err;
    await deps.store.tasks.closeDelivery(task.taskId, task.token, 'stale');
    deps.logger.warn({ taskId: task.taskId, applicationId: task.applicationId }, 'claimed decision found stale');
    return 'stale';
  }
  await deps.store.tasks.closeDelivery(task.taskId, task.token, 'delivered');
  await recordDecision(deps, task, { ...decision, by: d.by, at: d.at });
  deps.logger.info({ taskId: task.taskId, applicationId: task.applicationId }, 'claimed decision delivered late');
  return 'delivered';
}

const isDecisionKind = (v: string): v is DecisionKind => v === 'approve' || v === 'reject' || v === 'request_changes';

function isStaleToken(err: unknown): boolean {
  const name = (err as Error).name;
  return name === 'TaskTimedOut' || name === 'TaskDoesNotExist' || name === 'InvalidToken';
}

async function sendDecision(
  deps: Deps,
  token: string,
  taskId: string,
  d: { decision: DecisionKind; byKind: 'staff' | 'actor'; output?: Record<string, unknown> },
): Promise<void> {
  if (d.decision === 'approve') {
    await deps.sfn.send(
      new SendTaskSuccessCommand({
        taskToken: token,
        output: JSON.stringify({ decision: 'approve', by: d.byKind, ...(d.output ?? {}) }),
      }),
    );
  } else {
    await deps.sfn.send(
      new SendTaskFailureCommand({
        taskToken: token,
        error: FAILURE_ERROR[d.decision],
        // Execution history carries ids only: the staff comment stays in DynamoDB (task decision + history event).
        cause: `task ${taskId}`,
      }),
    );
  }
}

async function recordDecision(
  deps: Deps,
  task: TaskItem,
  d: { decision: DecisionKind; comment?: string; by: string; byKind: 'staff' | 'actor'; at: string },
): Promise<void> {
  await deps.store.history.append({
    applicationId: task.applicationId,
    key: `r${task.round}#${task.step}#decided`,
    at: d.at,
    actor: { kind: d.byKind, id: d.byKind === 'staff' ? d.by : undefined },
    type: `decision_${d.decision}`,
    stage: task.step,
    comment: d.comment,
  });
  // Counted once Step Functions took it: a decision refused as stale or given back is no decision.
  deps.metrics.count('Decisions', { step: task.step, decision: d.decision });
}

/** Answered like TaskAlreadyDecidedError (409 `task_already_decided`), with its own message: nobody to name. */
export class StaleTaskError extends UseCaseError {
  override readonly name = 'StaleTaskError';
  override readonly httpStatus = 409;
  override readonly publicCode = 'task_already_decided';
  constructor(readonly taskId: string) {
    super("Cette étape n'est plus en attente d'une décision (délai dépassé ou déjà traitée).");
  }
}
