import * as z from 'zod';
import { type PublicError, ValidationError } from '../../domain/errors.js';
import { TaskAlreadyDecidedError } from '../../store/errors.js';
import { BankDetailsNotValidatedError } from '../bank-details.js';
import {
  commentRequiredToRefuse,
  DecisionFields,
  decideTask,
  FourEyesError,
  StaleTaskError,
  TaskNotFoundError,
} from '../decisions.js';
import { StepNotOpenError } from '../errors.js';
import type { Deps } from '../ports.js';
import type { StaffPrincipal } from '../principal.js';

/** Most tasks in one request: one network's members fit; the request stays well under a Lambda's time limit. */
export const MAX_BULK_TASKS = 500;
/** Decisions in flight at once: each is a claim, a Step Functions call and a history write. */
export const BULK_CONCURRENCY = 8;

export const BulkDecisionSchema = z
  .object({
    taskIds: z
      .array(z.string().regex(/^[0-9a-f]{20}$/, { error: 'Référence de tâche invalide.' }), {
        error: 'taskIds : une liste de références de tâches est attendue.',
      })
      .min(1, { error: 'Sélectionnez au moins une tâche.' })
      .max(MAX_BULK_TASKS, { error: `${MAX_BULK_TASKS} tâches au plus par envoi.` }),
    ...DecisionFields,
  })
  .strict()
  .superRefine(commentRequiredToRefuse);

export type BulkItemStatus = 'ok' | 'already_decided' | 'not_found' | 'forbidden' | 'error';

export interface BulkItemResult {
  taskId: string;
  status: BulkItemStatus;
  message: string;
}

/**
 * POST /api/console/tasks/decisions: one decision for many tasks. Each item is a normal decision through
 * `decideTask` (four eyes, the claim where the first decision wins, Step Functions, its own history event), run
 * BULK_CONCURRENCY at a time; each gets its own result, in the order given (a repeated id is decided once and
 * reported once). `error` (beyond the contract's four statuses) is a failure of our own (the store or Step Functions
 * unavailable): that item was not decided and can be sent again.
 */
export async function decideTasks(
  deps: Deps,
  staff: StaffPrincipal,
  body: unknown,
): Promise<{ results: BulkItemResult[] }> {
  const parsed = BulkDecisionSchema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const { taskIds, decision, comment } = parsed.data;
  const unique = [...new Set(taskIds)];
  const results = new Array<BulkItemResult>(unique.length);
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const i = next++;
      const taskId = unique[i] as string;
      results[i] = await decideOne(deps, staff, taskId, { decision, comment });
    }
  };
  await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, unique.length) }, worker));
  return { results };
}

async function decideOne(
  deps: Deps,
  staff: StaffPrincipal,
  taskId: string,
  body: { decision: string; comment?: string },
): Promise<BulkItemResult> {
  try {
    await decideTask(deps, staff, taskId, body);
    return { taskId, status: 'ok', message: 'Décision enregistrée.' };
  } catch (err) {
    if (err instanceof TaskAlreadyDecidedError || err instanceof StaleTaskError) {
      return { taskId, status: 'already_decided', message: (err as PublicError).publicMessage() };
    }
    if (err instanceof TaskNotFoundError) return { taskId, status: 'not_found', message: err.message };
    if (err instanceof ValidationError) {
      return { taskId, status: 'forbidden', message: err.issues[0]?.message ?? err.publicMessage() };
    }
    if (
      err instanceof FourEyesError ||
      err instanceof StepNotOpenError ||
      err instanceof BankDetailsNotValidatedError
    ) {
      return { taskId, status: 'forbidden', message: err.publicMessage() };
    }
    deps.logger.error({ err, taskId }, 'bulk decision: item failed');
    return {
      taskId,
      status: 'error',
      message: "Cette tâche n'a pas pu être traitée (erreur temporaire) : réessayez.",
    };
  }
}
