import { HUMAN_STEPS, isHumanStep } from '../../domain/path.js';
import { ConflictError, NotFoundError, TaskAlreadyDecidedError, TaskStepMismatchError } from '../errors.js';
import { Expression } from '../expression.js';
import { inboxPartition, inboxSortKey, keys, taskIdFor } from '../keys.js';
import { type Item, MAX_PAGE, strip, type TableClient } from '../table-client.js';
import type { OpenTaskInput, Page, Stage, TaskDecision, TaskFilter, TaskItem } from '../types.js';

/** gsi2 partition holding every open task (the whole inbox, oldest first); places use the `PLACE` partition. */
const ALL_INBOX = 'INBOX';
/**
 * gsi2 partition of decided tasks whose decision has not reached Step Functions yet (claimed, not delivered), by
 * decision time: the reminder job re-delivers those a crash left behind (shared/usecases/decisions.ts).
 */
const UNDELIVERED = 'UNDELIVERED';

const DAY_MS = 86_400_000;

const tasksOf = (applicationId: string) => `TASKS#${applicationId}`;

/**
 * Tasks: the human steps of the workflow, one item per (application, step, round) under a deterministic id. An open
 * task sits in the staff inbox (gsi1 per step, gsi2 all steps); deciding or cancelling it takes it out in the same
 * write. First decision wins.
 */
export class TaskStore {
  constructor(private readonly table: TableClient) {}

  /** The deterministic id of the task of (applicationId, step, round). */
  idFor(applicationId: string, step: Stage, round: number): string {
    return taskIdFor(applicationId, step, round);
  }

  /**
   * Opens the task of (applicationId, step, round) under its deterministic id and returns that id. The task ends
   * open with the given token whatever it was before, and keeps its first openedAt (its place in the inbox):
   * - absent or open: one conditional write (a retried open-task Lambda overwrites the token);
   * - decided or cancelled (Step Functions refused the decision and the step is given back, or the execution was
   *   restarted at this stage): re-opened with a write conditional on the state just read, so a concurrent claim
   *   is never overwritten.
   */
  async open(input: OpenTaskInput): Promise<string> {
    if (!isHumanStep(input.step)) throw new TypeError(`tasks.open: "${input.step}" is not a human step`);
    const taskId = taskIdFor(input.applicationId, input.step, input.round);
    for (let attempt = 0; attempt < 3; attempt++) {
      const existing = attempt === 0 ? null : await this.get(taskId);
      const x = new Expression();
      x.set('type', 'task')
        .set('taskId', taskId)
        .set('applicationId', input.applicationId)
        .set('step', input.step)
        .set('round', input.round)
        .set('token', input.token)
        .set('status', 'open')
        .set('route', input.route)
        .set('phase', input.phase)
        .set('departements', input.departements)
        .set('flags', input.flags)
        .set('gsi1pk', inboxPartition(input.step))
        .set('gsi2pk', ALL_INBOX)
        .set('gsi3pk', tasksOf(input.applicationId))
        .set('gsi3sk', taskId);
      if (input.execution !== undefined) x.set('execution', input.execution);
      let condition: string;
      if (!existing || existing.status === 'open') {
        x.setIfNotExists('openedAt', input.openedAt)
          .setIfNotExists('gsi1sk', inboxSortKey(input.openedAt, taskId))
          .setIfNotExists('gsi2sk', inboxSortKey(input.openedAt, taskId));
        if (input.assignee !== undefined) x.set('assignee', input.assignee);
        else x.setIfNotExists('assignee', null);
        condition = `attribute_not_exists(pk) OR ${x.n('status')} = ${x.v('open')}`;
      } else {
        x.set('gsi1sk', inboxSortKey(existing.openedAt, taskId))
          .set('gsi2sk', inboxSortKey(existing.openedAt, taskId))
          .set('assignee', input.assignee ?? existing.assignee ?? null)
          .remove('decision')
          .remove('delivery')
          .remove('cancelled');
        condition = `${x.n('status')} = ${x.v(existing.status)} AND ${x.n('token')} = ${x.v(existing.token)}`;
      }
      if (await this.table.updateIf(keys.task(taskId), x, condition)) return taskId;
    }
    throw new ConflictError(taskId, -1);
  }

  /**
   * A decided task whose decision is being delivered to another execution (the one resumed after a restart): its
   * new token and execution, the decision unchanged. Conditional on the task still decided with the token just read,
   * so two deliveries never cross. False when it changed meanwhile.
   */
  async redeliver(taskId: string, to: { token: string; execution: string; previousToken: string }): Promise<boolean> {
    const x = new Expression();
    // Called once the decision reached the resumed execution: it leaves the undelivered listing too.
    x.set('token', to.token)
      .set('execution', to.execution)
      .set('delivery', { at: this.table.now().toISOString(), outcome: 'delivered' })
      .remove('gsi2pk')
      .remove('gsi2sk');
    const condition = `${x.n('status')} = ${x.v('decided')} AND ${x.n('token')} = ${x.v(to.previousToken)}`;
    return (await this.table.updateIf(keys.task(taskId), x, condition)) !== null;
  }

  /**
   * The decision reached Step Functions (`delivered`), or Step Functions no longer waits on the token (`stale`: timed
   * out, execution stopped or moved on): the task leaves the undelivered listing. Conditional on the task still
   * decided with that token; false otherwise (re-opened, or delivered to another execution meanwhile).
   */
  async closeDelivery(taskId: string, token: string, outcome: 'delivered' | 'stale'): Promise<boolean> {
    const x = new Expression();
    x.set('delivery', { at: this.table.now().toISOString(), outcome }).remove('gsi2pk').remove('gsi2sk');
    const condition = `${x.n('status')} = ${x.v('decided')} AND ${x.n('token')} = ${x.v(token)}`;
    return (await this.table.updateIf(keys.task(taskId), x, condition)) !== null;
  }

  /**
   * A task decided by a version that kept no delivery record (no `delivery`, not in the undelivered listing): put in
   * the listing, as a claim does today, so that the reminder job delivers its decision or, far more often, finds it
   * no longer awaited and closes it (`npm run reindex`). Conditional on all three; false when it does not apply.
   */
  async listDecisionOfUnknownDelivery(task: TaskItem): Promise<boolean> {
    if (task.status !== 'decided' || !task.decision || task.delivery) return false;
    const x = new Expression();
    x.set('gsi2pk', UNDELIVERED).set('gsi2sk', `${task.decision.at}#${task.taskId}`);
    const condition = `${x.n('status')} = ${x.v('decided')} AND attribute_not_exists(${x.n('delivery')}) AND attribute_not_exists(${x.n('gsi2pk')})`;
    return (await this.table.updateIf(keys.task(task.taskId), x, condition)) !== null;
  }

  /** Decided tasks whose decision was claimed before `before` and not delivered yet, oldest first. */
  async listUndelivered(before: string, limit = 100): Promise<TaskItem[]> {
    const res = await this.table.query({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :p AND gsi2sk < :b',
      ExpressionAttributeValues: { ':p': UNDELIVERED, ':b': before },
      Limit: Math.max(1, Math.min(limit, MAX_PAGE)),
    });
    return (res.Items ?? []).map((i) => strip<TaskItem>(i));
  }

  async get(taskId: string): Promise<TaskItem | null> {
    return this.table.get<TaskItem>(keys.task(taskId));
  }

  /**
   * First decision wins: conditional on `status = open`, records the decision and leaves the inbox in the same
   * write. Otherwise TaskAlreadyDecidedError with who decided and when (an identical retry returns the task).
   */
  async claim(taskId: string, decision: TaskDecision, options: { steps?: readonly string[] } = {}): Promise<TaskItem> {
    const x = new Expression();
    // Out of the inbox, into the listing of undelivered decisions until `delivered` takes it out (same write).
    x.set('status', 'decided')
      .set('decision', stripUndefined(decision))
      .remove('gsi1pk')
      .remove('gsi1sk')
      .set('gsi2pk', UNDELIVERED)
      .set('gsi2sk', `${decision.at}#${taskId}`);
    // The step restriction is part of the condition, so a decision needs no read first: one conditional write on
    // the happy path, and the task is read only to explain a refusal.
    const steps = options.steps;
    const updated = await this.updateOpen(
      taskId,
      x,
      steps ? `${x.n('step')} IN (${steps.map((st) => x.v(st)).join(', ')})` : undefined,
    );
    if (updated) return updated;
    const task = await this.get(taskId);
    if (!task) throw new NotFoundError('task', taskId);
    const d = task.decision;
    if (
      task.status === 'decided' &&
      d &&
      d.by === decision.by &&
      d.at === decision.at &&
      d.decision === decision.decision
    ) {
      return task;
    }
    if (task.status === 'open' && steps && !steps.includes(task.step))
      throw new TaskStepMismatchError(taskId, task.step);
    throw alreadyDecided(task);
  }

  /** The workflow left the step without a decision (timeout, withdrawal). False when the task was not open. */
  async cancel(taskId: string, cancel: { by: string; at: string; reason?: string }): Promise<boolean> {
    const x = new Expression();
    x.set('status', 'cancelled')
      .set('cancelled', stripUndefined(cancel))
      .remove('gsi1pk')
      .remove('gsi1sk')
      .remove('gsi2pk')
      .remove('gsi2sk');
    return (await this.updateOpen(taskId, x)) !== null;
  }

  /**
   * Cancels every open task of an application (the workflow ended: not eligible, rejected, expired, failed).
   * Returns how many were open. One Query on the application's task list, then one conditional write each.
   */
  async cancelOpen(applicationId: string, reason: string, by = 'system'): Promise<number> {
    const tasks = await this.list(applicationId);
    const at = this.table.now().toISOString();
    let n = 0;
    for (const t of tasks) if (t.status === 'open' && (await this.cancel(t.taskId, { by, at, reason }))) n++;
    return n;
  }

  /** Erasure: the decision's comment (words addressed to the actor) leaves the task; the decision itself stays. */
  async redact(taskId: string): Promise<void> {
    // No decision (open or cancelled task): nothing to remove, the failed condition is the answer.
    await this.table.ifCondition(
      this.table.update({
        Key: keys.task(taskId),
        UpdateExpression: 'REMOVE #d.#c',
        ConditionExpression: 'attribute_exists(#d)',
        ExpressionAttributeNames: { '#d': 'decision', '#c': 'comment' },
      }),
    );
  }

  /** Every task of an application (any status), oldest round first. */
  async list(applicationId: string): Promise<TaskItem[]> {
    const items = await this.table.queryAll({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p',
      ExpressionAttributeValues: { ':p': tasksOf(applicationId) },
    });
    return items
      .map((i) => strip<TaskItem>(i))
      .sort((a, b) => a.round - b.round || (a.openedAt < b.openedAt ? -1 : a.openedAt > b.openedAt ? 1 : 0));
  }

  /** Assigns an open task to a staff member (null unassigns). */
  async assign(taskId: string, assignee: string | null): Promise<TaskItem> {
    const x = new Expression();
    x.set('assignee', assignee);
    const updated = await this.updateOpen(taskId, x);
    if (updated) return updated;
    const task = await this.get(taskId);
    if (!task) throw new NotFoundError('task', taskId);
    throw alreadyDecided(task);
  }

  /**
   * The staff inbox: open tasks, oldest first, from the sparse inbox indexes. Other filters are FilterExpressions.
   * The cursor is the sort key of the last task returned, so pages never skip or repeat a task.
   */
  async inbox(filter: TaskFilter = {}, page: Page = {}): Promise<{ tasks: TaskItem[]; next?: string }> {
    const limit = Math.max(1, Math.min(page.limit ?? 50, MAX_PAGE));
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    // One step: its own partition (gsi1). All steps: the whole inbox in one partition of gsi2 (one Query, oldest
    // first) rather than five merged partitions, which read five pages to return one.
    const merged = filter.step
      ? await this.queryInbox('gsi1', inboxPartition(filter.step), filter, after, limit + 1)
      : await this.queryInbox('gsi2', ALL_INBOX, filter, after, limit + 1);
    const pageItems = merged.slice(0, limit);
    const last = pageItems[pageItems.length - 1];
    const result: { tasks: TaskItem[]; next?: string } = { tasks: pageItems.map((i) => strip<TaskItem>(i)) };
    if (merged.length > limit && last) result.next = encodeCursor(String(last.gsi1sk ?? last.gsi2sk));
    return result;
  }

  /**
   * The staff inbox by due date (issue 13): each open task is due `dueDays[step]` days after it opened, so within one
   * step's partition (gsi1, by openedAt) the due order is the opened order. One Query per step, merged by (due date,
   * taskId); `overdueAt` keeps only the tasks due before that instant, as a key condition (no filter on dates). The
   * cursor is the last task's `<due ISO>#<taskId>`, turned back into each partition's own sort key.
   */
  async inboxByDue(
    dueDays: Readonly<Record<string, number>>,
    filter: TaskFilter = {},
    page: Page & { overdueAt?: string } = {},
  ): Promise<{ tasks: (TaskItem & { dueAt: string })[]; next?: string }> {
    const limit = Math.max(1, Math.min(page.limit ?? 50, MAX_PAGE));
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    const steps = filter.step ? [filter.step] : HUMAN_STEPS;
    const shift = (iso: string, days: number) => new Date(Date.parse(iso) - days * DAY_MS).toISOString();
    const lists = await Promise.all(
      steps.map(async (step) => {
        const days = dueDays[step] ?? 0;
        let lower: string | null = null;
        if (after) {
          const cut = after.indexOf('#');
          lower = `${shift(after.slice(0, cut), days)}#${after.slice(cut + 1)}`;
        }
        const upper = page.overdueAt ? shift(page.overdueAt, days) : null;
        if (lower && upper && lower >= upper) return [];
        const items = await this.queryInbox('gsi1', inboxPartition(step), filter, null, limit + 1, { lower, upper });
        return items.map((i) => {
          const t = strip<TaskItem>(i);
          return { ...t, dueAt: new Date(Date.parse(t.openedAt) + days * DAY_MS).toISOString() };
        });
      }),
    );
    const merged = lists
      .flat()
      .sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.taskId < b.taskId ? -1 : 1));
    const tasks = merged.slice(0, limit);
    const last = tasks[tasks.length - 1];
    return merged.length > limit && last ? { tasks, next: encodeCursor(`${last.dueAt}#${last.taskId}`) } : { tasks };
  }

  private async queryInbox(
    index: 'gsi1' | 'gsi2',
    partition: string,
    filter: TaskFilter,
    after: string | null,
    want: number,
    range: { lower: string | null; upper: string | null } = { lower: null, upper: null },
  ): Promise<Item[]> {
    const x = new Expression();
    let keyCondition = `${index}pk = ${x.v(partition)}`;
    // `lower` is exclusive (a cursor), `upper` too (a bare ISO instant sorts before every `<instant>#<taskId>`).
    const lower = after ?? range.lower;
    if (lower && range.upper) keyCondition += ` AND ${index}sk BETWEEN ${x.v(lower)} AND ${x.v(range.upper)}`;
    else if (lower) keyCondition += ` AND ${index}sk > ${x.v(lower)}`;
    else if (range.upper) keyCondition += ` AND ${index}sk < ${x.v(range.upper)}`;
    const filters: string[] = [];
    if (filter.route) filters.push(`${x.n('route')} = ${x.v(filter.route)}`);
    if (filter.phase) filters.push(`${x.n('phase')} = ${x.v(filter.phase)}`);
    if (filter.departement) filters.push(`contains(${x.n('departements')}, ${x.v(filter.departement)})`);
    if (filter.flag) filters.push(`contains(${x.n('flags')}, ${x.v(filter.flag)})`);
    if (filter.assignee) filters.push(`${x.n('assignee')} = ${x.v(filter.assignee)}`);
    const out: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.table.query({
        IndexName: index,
        KeyConditionExpression: keyCondition,
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        ...x.attributes(),
        // With a filter, read ahead: Limit counts items read, not items kept, and each round trip costs more
        // than reading a few hundred more small items.
        Limit: filters.length ? Math.max(want * 10, 500) : want,
        ExclusiveStartKey: start,
      });
      // BETWEEN is inclusive: the cursor's own task is not returned twice.
      out.push(...(res.Items ?? []).filter((i) => !lower || i[`${index}sk`] !== lower));
      start = res.LastEvaluatedKey;
    } while (start && out.length < want);
    return out.slice(0, want);
  }

  /** Applies `x` to a task only while it is open: the new task, or null when it was no longer open (or absent). */
  private async updateOpen(taskId: string, x: Expression, also?: string): Promise<TaskItem | null> {
    const updated = await this.table.updateIf(
      keys.task(taskId),
      x,
      `${x.n('status')} = ${x.v('open')}${also ? ` AND ${also}` : ''}`,
    );
    return updated ? strip<TaskItem>(updated) : null;
  }
}

function alreadyDecided(task: TaskItem): TaskAlreadyDecidedError {
  if (task.status === 'cancelled') {
    return new TaskAlreadyDecidedError(
      task.taskId,
      'cancelled',
      task.cancelled?.by ?? null,
      task.cancelled?.at ?? null,
      null,
    );
  }
  const d = task.decision;
  return new TaskAlreadyDecidedError(task.taskId, 'decided', d?.by ?? null, d?.at ?? null, d?.decision ?? null);
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function encodeCursor(sortKey: string): string {
  return Buffer.from(sortKey, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}
