import { randomUUID } from 'node:crypto';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  AlreadyExistsError,
  ConflictError,
  isConditionalCheckFailed,
  NotFoundError,
  SiretAlreadyClaimedError,
  TaskAlreadyDecidedError,
  TaskStepMismatchError,
  TransientStoreError,
  translateAwsError,
} from './errors.js';
import { Expression } from './expression.js';
import { inboxPartition, inboxSortKey, keys, normaliseEmail, placeSortKey, taskIdFor } from './keys.js';
import { KEY_ATTRIBUTES } from './table.js';
import {
  type ApplicationItem,
  type ApplicationPatch,
  type CampaignItem,
  type ChangeRecord,
  type ConfigOverrides,
  type DialogState,
  type HistoryEvent,
  type NetworkItem,
  type NetworkMember,
  type OpenTaskInput,
  type OutboxMessage,
  type Page,
  type PlaceInput,
  type PlaceItem,
  type SessionItem,
  type StaffAccount,
  type Stage,
  TASK_STEPS,
  type TaskDecision,
  type TaskFilter,
  type TaskItem,
  TERMINAL_STAGES,
} from './types.js';

export * from './types.js';

type Item = Record<string, unknown>;

export interface StoreOptions {
  /** Injected clock (tests, benchmarks). */
  now?: () => Date;
  /**
   * A SIRET claim whose application never got written (a crash between the two puts) is taken over after this
   * delay; a younger one still counts as held (the other submission may be writing its application right now).
   */
  staleClaimMs?: number;
}

const NOT_PATCHABLE = new Set(['id', 'version', 'createdAt', 'siret', ...KEY_ATTRIBUTES]);
const ACTIVE = 'ACTIVE';
const MAX_PAGE = 200;
const BATCH_SIZE = 25;
const BATCH_ATTEMPTS = 8;

/**
 * Every access pattern of the application, on one table (see keys.ts for the layout).
 *
 * dynalite has no transactions: each state change is one conditional single-item write (optimistic locking on
 * `version`), follow-up writes use deterministic keys so a retry overwrites itself. No Scan anywhere.
 */
/** How long a Store reuses the configuration overrides it read (see getConfigOverrides). */
export const CONFIG_CACHE_MS = 3000;

/** gsi2 partition holding every open task (the whole inbox, oldest first); places use the `PLACE` partition. */
const ALL_INBOX = 'INBOX';

export class Store {
  private readonly now: () => Date;
  private readonly staleClaimMs: number;

  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
    options: StoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.staleClaimMs = options.staleClaimMs ?? 5 * 60_000;
  }

  /** The document client (also accepts plain DynamoDB commands, e.g. for ensureTable). */
  get client(): DynamoDBDocumentClient {
    return this.doc;
  }

  // ─── applications ────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Claims the SIRET (conditional put), then puts the application (conditional put). Of two concurrent submissions
   * with one SIRET exactly one wins; the other gets SiretAlreadyClaimedError. A null SIRET skips the claim.
   */
  async createApplication(item: ApplicationItem): Promise<void> {
    if (item.siret) await this.claimSiret(item.siret, item.id);
    try {
      await this.call(
        'PutItem',
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...item, ...keys.application(item.id), type: 'application', ...activeKeys(item.stage, item.id) },
            ConditionExpression: ABSENT,
          }),
        ),
      );
    } catch (err) {
      const existing = await this.getApplication(item.id).catch(() => undefined);
      // Keep the claim when an application with this id holds it (a retried create, or a put that timed out after
      // being applied); release it only when it still points to this id and nothing was written.
      if (item.siret && existing === null) await this.releaseSiret(item.siret, item.id);
      else if (item.siret && existing && existing.siret !== item.siret) await this.releaseSiret(item.siret, item.id);
      if (isConditionalCheckFailed(err)) throw new AlreadyExistsError('application', item.id);
      throw err;
    }
  }

  private async claimSiret(siret: string, applicationId: string): Promise<void> {
    const createdAt = this.now().toISOString();
    const claimItem = { ...keys.siret(siret), type: 'siret', siret, applicationId, createdAt };
    if (await this.put(claimItem, ABSENT)) return;
    const claim = await this.getRaw(keys.siret(siret));
    if (!claim) return this.claimSiret(siret, applicationId); // released in between: try again
    const holder = String(claim.applicationId);
    if (holder === applicationId) return; // our own claim (retried create)
    const age = this.now().getTime() - Date.parse(String(claim.createdAt));
    if (age > this.staleClaimMs && (await this.getApplication(holder)) === null) {
      // Orphan claim (crash between the two puts): take it over, conditional on it being unchanged.
      const taken = await this.ifCondition(
        'PutItem',
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: claimItem,
            ConditionExpression: 'applicationId = :holder',
            ExpressionAttributeValues: { ':holder': holder },
          }),
        ),
      );
      if (taken) return;
      const now = await this.getRaw(keys.siret(siret));
      throw new SiretAlreadyClaimedError(siret, String(now?.applicationId ?? holder));
    }
    throw new SiretAlreadyClaimedError(siret, holder);
  }

  /**
   * Frees a SIRET if (and only if) this application still holds it: a not-eligible application lets a later,
   * corrected one through. False when the claim was absent or held by another application.
   */
  async releaseSiret(siret: string, applicationId: string): Promise<boolean> {
    // Someone else's claim now, or none: leave it (false).
    const out = await this.ifCondition(
      'DeleteItem',
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.siret(siret),
          ConditionExpression: 'applicationId = :id',
          ExpressionAttributeValues: { ':id': applicationId },
        }),
      ),
    );
    return out !== null;
  }

  async getApplication(id: string): Promise<ApplicationItem | null> {
    return this.get<ApplicationItem>(keys.application(id));
  }

  async getApplicationBySiret(siret: string): Promise<ApplicationItem | null> {
    const claim = await this.getRaw(keys.siret(siret));
    if (!claim) return null;
    return this.getApplication(String(claim.applicationId));
  }

  /**
   * Conditional on `version = expectedVersion`; bumps the version and returns the new item. A stale version →
   * ConflictError (the item is unchanged). A terminal stage removes the application from the active listing.
   */
  async updateApplication(id: string, expectedVersion: number, patch: ApplicationPatch): Promise<ApplicationItem> {
    const x = new Expression();
    for (const [attr, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (NOT_PATCHABLE.has(attr)) throw new TypeError(`updateApplication: "${attr}" cannot be patched`);
      x.set(attr, value);
    }
    if (patch.updatedAt === undefined) x.set('updatedAt', this.now().toISOString());
    x.set('version', expectedVersion + 1);
    if (patch.stage !== undefined) {
      const active = activeKeys(patch.stage, id);
      if (active.gsi3pk) x.set('gsi3pk', active.gsi3pk).set('gsi3sk', active.gsi3sk);
      else x.remove('gsi3pk').remove('gsi3sk');
    }
    const updated = await this.updateIf(keys.application(id), x, `${x.n('version')} = ${x.v(expectedVersion)}`);
    if (updated) return strip<ApplicationItem>(updated);
    if ((await this.getRaw(keys.application(id))) === null) throw new NotFoundError('application', id);
    throw new ConflictError(id, expectedVersion);
  }

  /** Applications whose stage is not terminal (restart resume), optionally of one stage (e.g. `waitlisted`). */
  async listActiveApplications(filter: { stage?: Stage } = {}): Promise<ApplicationItem[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: 'gsi3',
      KeyConditionExpression: filter.stage ? 'gsi3pk = :p AND begins_with(gsi3sk, :s)' : 'gsi3pk = :p',
      ExpressionAttributeValues: filter.stage ? { ':p': ACTIVE, ':s': `${filter.stage}#` } : { ':p': ACTIVE },
    });
    return items.map((i) => strip<ApplicationItem>(i));
  }

  // ─── history ─────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Idempotent on (applicationId, key): a retried write overwrites itself, and keeps the first `at` so the
   * event's place in the history does not move.
   */
  async appendHistory(event: HistoryEvent): Promise<void> {
    const { type: eventType, at, applicationId, key, ...rest } = event;
    const x = new Expression();
    x.set('type', 'event').set('applicationId', applicationId).set('key', key).set('eventType', eventType);
    for (const [attr, value] of Object.entries(rest)) if (value !== undefined) x.set(attr, value);
    x.setIfNotExists('at', at);
    await this.call(
      'UpdateItem',
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.event(applicationId, key),
          UpdateExpression: x.update(),
          ...x.attributes(),
        }),
      ),
    );
  }

  /** Chronological (by `at`, then key for events of the same instant). */
  async listHistory(applicationId: string): Promise<HistoryEvent[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.application(applicationId).pk, ':s': 'EVT#' },
    });
    return items
      .map((i) => {
        const { eventType, ...rest } = strip<Item>(i);
        return { ...rest, type: eventType } as HistoryEvent;
      })
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  // ─── tasks (human steps) ─────────────────────────────────────────────────────────────────────────────────────

  /** The deterministic id of the task of (applicationId, step, round). */
  taskIdFor(applicationId: string, step: Stage, round: number): string {
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
  async openTask(input: OpenTaskInput): Promise<string> {
    if (!TASK_STEPS.includes(input.step)) throw new TypeError(`openTask: "${input.step}" is not a human step`);
    const taskId = taskIdFor(input.applicationId, input.step, input.round);
    for (let attempt = 0; attempt < 3; attempt++) {
      const existing = attempt === 0 ? null : await this.getTask(taskId);
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
          .remove('cancelled');
        condition = `${x.n('status')} = ${x.v(existing.status)} AND ${x.n('token')} = ${x.v(existing.token)}`;
      }
      if (await this.updateIf(keys.task(taskId), x, condition)) return taskId;
    }
    throw new ConflictError(taskId, -1);
  }

  async getTask(taskId: string): Promise<TaskItem | null> {
    return this.get<TaskItem>(keys.task(taskId));
  }

  /**
   * First decision wins: conditional on `status = open`, records the decision and leaves the inbox in the same
   * write. Otherwise TaskAlreadyDecidedError with who decided and when (an identical retry returns the task).
   */
  async claimTask(
    taskId: string,
    decision: TaskDecision,
    options: { steps?: readonly string[] } = {},
  ): Promise<TaskItem> {
    const x = new Expression();
    x.set('status', 'decided')
      .set('decision', stripUndefined(decision))
      .remove('gsi1pk')
      .remove('gsi1sk')
      .remove('gsi2pk')
      .remove('gsi2sk');
    // The step restriction is part of the condition, so a decision needs no read first: one conditional write on
    // the happy path, and the task is read only to explain a refusal.
    const steps = options.steps;
    const updated = await this.updateOpenTask(
      taskId,
      x,
      steps ? `${x.n('step')} IN (${steps.map((st) => x.v(st)).join(', ')})` : undefined,
    );
    if (updated) return updated;
    const task = await this.getTask(taskId);
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
  async cancelTask(taskId: string, cancel: { by: string; at: string; reason?: string }): Promise<boolean> {
    const x = new Expression();
    x.set('status', 'cancelled')
      .set('cancelled', stripUndefined(cancel))
      .remove('gsi1pk')
      .remove('gsi1sk')
      .remove('gsi2pk')
      .remove('gsi2sk');
    return (await this.updateOpenTask(taskId, x)) !== null;
  }

  /**
   * Cancels every open task of an application (the workflow ended: not eligible, rejected, expired, failed).
   * Returns how many were open. One Query on the application's task list, then one conditional write each.
   */
  async cancelOpenTasks(applicationId: string, reason: string, by = 'system'): Promise<number> {
    const tasks = await this.listTasks(applicationId);
    const at = this.now().toISOString();
    let n = 0;
    for (const t of tasks) if (t.status === 'open' && (await this.cancelTask(t.taskId, { by, at, reason }))) n++;
    return n;
  }

  /** Every task of an application (any status), oldest round first. */
  async listTasks(applicationId: string): Promise<TaskItem[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p',
      ExpressionAttributeValues: { ':p': tasksOf(applicationId) },
    });
    return items
      .map((i) => strip<TaskItem>(i))
      .sort((a, b) => a.round - b.round || (a.openedAt < b.openedAt ? -1 : a.openedAt > b.openedAt ? 1 : 0));
  }

  /** Assigns an open task to a staff member (null unassigns). */
  async assignTask(taskId: string, assignee: string | null): Promise<TaskItem> {
    const x = new Expression();
    x.set('assignee', assignee);
    const updated = await this.updateOpenTask(taskId, x);
    if (updated) return updated;
    const task = await this.getTask(taskId);
    if (!task) throw new NotFoundError('task', taskId);
    throw alreadyDecided(task);
  }

  /**
   * Open tasks, oldest first, from the sparse inbox index (one partition per step; without a step filter the
   * partitions are merged). Other filters are FilterExpressions. The cursor is the sort key of the last task
   * returned, so pages never skip or repeat a task even across partitions.
   */
  async listOpenTasks(filter: TaskFilter = {}, page: Page = {}): Promise<{ tasks: TaskItem[]; next?: string }> {
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

  private async queryInbox(
    index: 'gsi1' | 'gsi2',
    partition: string,
    filter: TaskFilter,
    after: string | null,
    want: number,
  ): Promise<Item[]> {
    const x = new Expression();
    let keyCondition = `${index}pk = ${x.v(partition)}`;
    if (after) keyCondition += ` AND ${index}sk > ${x.v(after)}`;
    const filters: string[] = [];
    if (filter.route) filters.push(`${x.n('route')} = ${x.v(filter.route)}`);
    if (filter.phase) filters.push(`${x.n('phase')} = ${x.v(filter.phase)}`);
    if (filter.departement) filters.push(`contains(${x.n('departements')}, ${x.v(filter.departement)})`);
    if (filter.flag) filters.push(`contains(${x.n('flags')}, ${x.v(filter.flag)})`);
    if (filter.assignee) filters.push(`${x.n('assignee')} = ${x.v(filter.assignee)}`);
    const out: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.call(
        'Query',
        this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: index,
            KeyConditionExpression: keyCondition,
            ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
            ...x.attributes(),
            // With a filter, read ahead: Limit counts items read, not items kept, and each round trip costs more
            // than reading a few hundred more small items.
            Limit: filters.length ? Math.max(want * 10, 500) : want,
            ExclusiveStartKey: start,
          }),
        ),
      );
      out.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start && out.length < want);
    return out.slice(0, want);
  }

  // ─── places ──────────────────────────────────────────────────────────────────────────────────────────────────

  /** Replaces the published places of an application (an empty list unpublishes). Idempotent. */
  async putPlaces(applicationId: string, places: PlaceInput[]): Promise<void> {
    const publishedAt = this.now().toISOString();
    const existing = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.application(applicationId).pk, ':s': 'PLACE#' },
      ProjectionExpression: 'pk, sk, n',
    });
    const puts = places.map((p, n) => ({
      PutRequest: {
        Item: {
          ...keys.place(applicationId, n),
          type: 'place',
          gsi2pk: 'PLACE',
          gsi2sk: placeSortKey(p.departement, applicationId, n),
          applicationId,
          n,
          departement: p.departement,
          place: p.place,
          publishedAt,
        },
      },
    }));
    const deletes = existing
      .filter((i) => Number(i.n) >= places.length)
      .map((i) => ({ DeleteRequest: { Key: { pk: i.pk, sk: i.sk } } }));
    await this.batchWrite([...puts, ...deletes]);
  }

  /** All published places (one Query on the places index), or those of one département. */
  async listPlaces(filter: { departement?: string } = {}): Promise<PlaceItem[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: filter.departement ? 'gsi2pk = :p AND begins_with(gsi2sk, :d)' : 'gsi2pk = :p',
      ExpressionAttributeValues: filter.departement
        ? { ':p': 'PLACE', ':d': `${filter.departement}#` }
        : { ':p': 'PLACE' },
    });
    return items.map((i) => strip<PlaceItem>(i));
  }

  // ─── dialog state ────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Optimistic locking, as for applications: the write only succeeds while the stored version is still
   * `expectedVersion`, and stores `expectedVersion + 1`. Two Lambdas answering the same conversation at once would
   * otherwise both write and the later one would silently erase the other's turn. `expectedVersion` 0 means "no
   * usable item was read": none, an expired one (dynalite keeps it, DynamoDB deletes it only eventually), or one
   * written before dialog items had a version (they load without a migration). A stale version → ConflictError,
   * nothing written.
   */
  async putDialog(
    conversationId: string,
    state: Record<string, unknown>,
    ttlSeconds: number,
    expectedVersion: number,
  ): Promise<DialogState> {
    const now = this.now();
    const item: DialogState = {
      conversationId,
      state,
      version: expectedVersion + 1,
      updatedAt: now.toISOString(),
      expiresAt: epochSeconds(now) + ttlSeconds,
    };
    const x = new Expression();
    const condition =
      expectedVersion === 0
        ? `attribute_not_exists(${x.n('version')}) OR ${x.n('expiresAt')} <= ${x.v(epochSeconds(now))}`
        : `${x.n('version')} = ${x.v(expectedVersion)}`;
    const written = await this.ifCondition(
      'PutItem',
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.dialog(conversationId), type: 'dialog', ...item },
          ConditionExpression: condition,
          ...x.attributes(),
        }),
      ),
    );
    if (!written) throw new ConflictError(`DIALOG#${conversationId}`, expectedVersion);
    return item;
  }

  /** Null when absent or expired (dynalite never deletes TTL items, and DynamoDB deletes them only eventually). */
  async getDialog(conversationId: string): Promise<DialogState | null> {
    const item = await this.get<Omit<DialogState, 'version'> & { version?: number }>(keys.dialog(conversationId));
    if (!item || item.expiresAt <= epochSeconds(this.now())) return null;
    return { ...item, version: item.version ?? 0 };
  }

  async deleteDialog(conversationId: string): Promise<void> {
    await this.delete(keys.dialog(conversationId));
  }

  // ─── campaigns ───────────────────────────────────────────────────────────────────────────────────────────────

  async putCampaign(campaign: CampaignItem): Promise<void> {
    await this.put({
      ...keys.campaign(campaign.code),
      type: 'campaign',
      gsi3pk: 'CAMPAIGN',
      gsi3sk: campaign.code,
      ...campaign,
    });
  }

  async getCampaign(code: string): Promise<CampaignItem | null> {
    return this.get<CampaignItem>(keys.campaign(code));
  }

  async listCampaigns(): Promise<CampaignItem[]> {
    return this.listType<CampaignItem>('CAMPAIGN');
  }

  // ─── networks ────────────────────────────────────────────────────────────────────────────────────────────────

  async putNetwork(network: NetworkItem): Promise<void> {
    await this.put({
      ...keys.network(network.id),
      type: 'network',
      gsi3pk: 'NETWORK',
      gsi3sk: `${network.name.toLowerCase()}#${network.id}`,
      ...network,
    });
  }

  async getNetwork(id: string): Promise<NetworkItem | null> {
    return this.get<NetworkItem>(keys.network(id));
  }

  /** Sorted by name. */
  async listNetworks(): Promise<NetworkItem[]> {
    return this.listType<NetworkItem>('NETWORK');
  }

  /** Batch put (CSV import): 25 per request, unprocessed items retried. Re-importing a member overwrites it. */
  async putNetworkMembers(networkId: string, members: Omit<NetworkMember, 'networkId'>[]): Promise<void> {
    await this.batchWrite(
      members.map((m) => ({
        PutRequest: {
          Item: {
            ...keys.member(m.siret, networkId),
            type: 'member',
            gsi3pk: `MEMBERS#${networkId}`,
            gsi3sk: m.siret,
            ...m,
            networkId,
          },
        },
      })),
    );
  }

  /** The networks a SIRET belongs to (for the network route and the attestation). */
  async getNetworkMemberships(siret: string): Promise<NetworkMember[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': `MEMBER#${siret}` },
    });
    return items.map((i) => strip<NetworkMember>(i));
  }

  async listNetworkMembers(networkId: string): Promise<NetworkMember[]> {
    return this.listType<NetworkMember>(`MEMBERS#${networkId}`);
  }

  // ─── staff accounts ──────────────────────────────────────────────────────────────────────────────────────────

  /** `onlyIfAbsent` (bootstrap account on a new store): false when the account already exists. */
  async putStaff(account: StaffAccount, options: { onlyIfAbsent?: boolean } = {}): Promise<boolean> {
    const email = normaliseEmail(account.email);
    return this.put(
      { ...keys.staff(email), type: 'staff', gsi3pk: 'STAFF', gsi3sk: email, ...account, email },
      options.onlyIfAbsent ? ABSENT : undefined,
    );
  }

  async getStaff(email: string): Promise<StaffAccount | null> {
    return this.get<StaffAccount>(keys.staff(email));
  }

  /** Sorted by e-mail. */
  async listStaff(): Promise<StaffAccount[]> {
    return this.listType<StaffAccount>('STAFF');
  }

  // ─── sessions ────────────────────────────────────────────────────────────────────────────────────────────────

  /** With `onlyIfAbsent`, false (nothing written) when an item with that key exists. */
  async putSession(session: SessionItem, options: { onlyIfAbsent?: boolean } = {}): Promise<boolean> {
    return this.put(
      { ...keys.session(session.tokenHash), type: 'session', ...session },
      options.onlyIfAbsent ? ABSENT : undefined,
    );
  }

  /** Null when absent or expired. */
  async getSession(tokenHash: string): Promise<SessionItem | null> {
    const item = await this.get<SessionItem>(keys.session(tokenHash));
    return item && item.expiresAt > epochSeconds(this.now()) ? item : null;
  }

  /**
   * A staff session and its account in one round trip (BatchGetItem): the account is read on every staff request
   * (a disabled account loses its sessions at once), so it is fetched with the session instead of after it.
   * The session is null when absent, expired, or not the given account's.
   */
  async getStaffSession(
    tokenHash: string,
    email: string,
  ): Promise<{ session: SessionItem | null; account: StaffAccount | null }> {
    const sessionKey = keys.session(tokenHash);
    const staffKey = keys.staff(email);
    const items = await this.batchGet([sessionKey, staffKey]);
    const find = (k: { pk: string; sk: string }) => items.find((i) => i.pk === k.pk && i.sk === k.sk);
    const session = find(sessionKey);
    const account = find(staffKey);
    const live =
      session && (session.expiresAt as number) > epochSeconds(this.now()) && session.subject === normaliseEmail(email)
        ? strip<SessionItem>(session)
        : null;
    return { session: live, account: account ? strip<StaffAccount>(account) : null };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.delete(keys.session(tokenHash));
  }

  // ─── outbox (messages to the actor) ──────────────────────────────────────────────────────────────────────────

  /**
   * Writes the message only if its key is new: one conditional write both records it and tells a retried Task that
   * it was already sent (false), so an e-mail goes out at most once.
   */
  async putMessageIfAbsent(message: OutboxMessage): Promise<boolean> {
    return this.put(
      {
        ...keys.outbox(message.applicationId, message.key),
        type: 'outbox',
        gsi3pk: 'OUTBOX',
        gsi3sk: `${message.at}#${message.applicationId}#${message.key}`,
        ...message,
      },
      ABSENT,
    );
  }

  /** Records that the message left by e-mail (after putMessageIfAbsent). */
  async markMessageDelivered(applicationId: string, key: string): Promise<void> {
    await this.call(
      'UpdateItem',
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.outbox(applicationId, key),
          UpdateExpression: 'SET delivered = :t',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':t': true },
        }),
      ),
    );
  }

  async getMessage(applicationId: string, key: string): Promise<OutboxMessage | null> {
    return this.get<OutboxMessage>(keys.outbox(applicationId, key));
  }

  /** The messages of one application, oldest first. */
  async listMessages(applicationId: string): Promise<OutboxMessage[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.application(applicationId).pk, ':s': 'OUTBOX#' },
    });
    return items.map((i) => strip<OutboxMessage>(i)).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  /** Most recent first, across applications (the staff outbox page). */
  async listRecentMessages(limit = 50): Promise<OutboxMessage[]> {
    const res = await this.call(
      'Query',
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :p',
          ExpressionAttributeValues: { ':p': 'OUTBOX' },
          ScanIndexForward: false,
          Limit: Math.max(1, Math.min(limit, MAX_PAGE)),
        }),
      ),
    );
    return (res.Items ?? []).map((i) => strip<OutboxMessage>(i));
  }

  // ─── configuration overrides ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Every use case reads the configuration: the overrides item is cached for a few seconds per Store (process or
   * Lambda container), and a write through this Store drops the cache at once. Other containers see a change within
   * CONFIG_CACHE_MS.
   */
  async getConfigOverrides(options: { fresh?: boolean } = {}): Promise<ConfigOverrides | null> {
    const now = Date.now();
    if (!options.fresh && this.overridesCache && now - this.overridesCache.at < CONFIG_CACHE_MS) {
      return this.overridesCache.value;
    }
    const value = this.get<ConfigOverrides>(keys.config());
    this.overridesCache = { at: now, value };
    value.catch(() => {
      this.overridesCache = null;
    });
    return value;
  }

  private overridesCache: { at: number; value: Promise<ConfigOverrides | null> } | null = null;

  /** Optimistic locking: `expectedVersion` is the version read (0 when there were no overrides yet). */
  async putConfigOverrides(
    data: Record<string, unknown>,
    expectedVersion: number,
    by: string,
  ): Promise<ConfigOverrides> {
    const item: ConfigOverrides = {
      version: expectedVersion + 1,
      data,
      updatedAt: this.now().toISOString(),
      updatedBy: by,
    };
    this.overridesCache = null;
    try {
      const written = await this.ifCondition(
        'PutItem',
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...keys.config(), type: 'config', ...item },
            ...(expectedVersion === 0
              ? { ConditionExpression: ABSENT }
              : {
                  ConditionExpression: '#v = :v',
                  ExpressionAttributeNames: { '#v': 'version' },
                  ExpressionAttributeValues: { ':v': expectedVersion },
                }),
          }),
        ),
      );
      if (!written) throw new ConflictError('CONFIG', expectedVersion);
      return item;
    } finally {
      this.overridesCache = null;
    }
  }

  // ─── counters per département ────────────────────────────────────────────────────────────────────────────────

  /** Takes one slot when the département's count is below `cap` (atomic conditional ADD); false when full. */
  async admit(departement: string, cap: number, options: { expiresAt?: number } = {}): Promise<boolean> {
    if (cap <= 0) return false;
    // Short-lived counters (a login-throttling window) carry the table's TTL attribute so DynamoDB deletes them.
    const ttl = options.expiresAt !== undefined;
    const out = await this.ifCondition(
      'UpdateItem',
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.counter(departement),
          UpdateExpression: `SET #t = :t, departement = :d${ttl ? ', expiresAt = :e' : ''} ADD #c :one`,
          ConditionExpression: 'attribute_not_exists(#c) OR #c < :cap',
          ExpressionAttributeNames: { '#c': 'count', '#t': 'type' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':cap': cap,
            ':t': 'counter',
            ':d': departement,
            ...(ttl ? { ':e': options.expiresAt } : {}),
          },
        }),
      ),
    );
    return out !== null;
  }

  /** Gives a slot back (never below zero). False when the count was already zero. */
  async release(departement: string): Promise<boolean> {
    const out = await this.ifCondition(
      'UpdateItem',
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.counter(departement),
          UpdateExpression: 'ADD #c :minus',
          ConditionExpression: '#c > :zero',
          ExpressionAttributeNames: { '#c': 'count' },
          ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
        }),
      ),
    );
    return out !== null;
  }

  async getCount(departement: string): Promise<number> {
    const item = await this.getRaw(keys.counter(departement));
    return item ? Number(item.count ?? 0) : 0;
  }

  // ─── audit of administrative changes ─────────────────────────────────────────────────────────────────────────

  /** Records who changed what and when. Pass `id` to make a retried record overwrite itself. */
  async recordChange(change: Omit<ChangeRecord, 'id' | 'at'> & { id?: string; at?: string }): Promise<ChangeRecord> {
    const record: ChangeRecord = {
      ...change,
      id: change.id ?? randomUUID(),
      at: change.at ?? this.now().toISOString(),
    };
    await this.put({
      ...keys.change(record.entity, record.at, record.id),
      type: 'change',
      gsi3pk: 'AUDIT',
      gsi3sk: `${record.at}#${record.id}`,
      ...record,
    });
    return record;
  }

  /** Most recent first: of one entity, or across all. */
  async listChanges(filter: { entity?: string; limit?: number } = {}): Promise<ChangeRecord[]> {
    const res = await this.call(
      'Query',
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          ...(filter.entity
            ? { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': `AUDIT#${filter.entity}` } }
            : {
                IndexName: 'gsi3',
                KeyConditionExpression: 'gsi3pk = :p',
                ExpressionAttributeValues: { ':p': 'AUDIT' },
              }),
          ScanIndexForward: false,
          Limit: Math.max(1, Math.min(filter.limit ?? 50, MAX_PAGE)),
        }),
      ),
    );
    return (res.Items ?? []).map((i) => strip<ChangeRecord>(i));
  }

  // ─── plumbing ────────────────────────────────────────────────────────────────────────────────────────────────

  /** Awaits an SDK call and translates its error (ConditionalCheckFailed passes through for the caller to name). */
  private async call<T>(operation: string, promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (err) {
      if (isConditionalCheckFailed(err)) throw err;
      return translateAwsError(err, operation);
    }
  }

  private async getRaw(key: { pk: string; sk: string }): Promise<Item | null> {
    const res = await this.call(
      'GetItem',
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return res.Item ?? null;
  }

  private async get<T>(key: { pk: string; sk: string }): Promise<T | null> {
    const item = await this.getRaw(key);
    return item ? strip<T>(item) : null;
  }

  /** Applies `x` to a task only while it is open: the new task, or null when it was no longer open (or absent). */
  private async updateOpenTask(taskId: string, x: Expression, also?: string): Promise<TaskItem | null> {
    const updated = await this.updateIf(
      keys.task(taskId),
      x,
      `${x.n('status')} = ${x.v('open')}${also ? ` AND ${also}` : ''}`,
    );
    return updated ? strip<TaskItem>(updated) : null;
  }

  /** UpdateItem with `x` under `condition`: the item as written, or null when the condition failed. */
  private async updateIf(key: { pk: string; sk: string }, x: Expression, condition: string): Promise<Item | null> {
    const out = await this.ifCondition(
      'UpdateItem',
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: x.update(),
          ConditionExpression: condition,
          ...x.attributes(),
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return out ? (out.Attributes ?? {}) : null;
  }

  /** True when written; false when `condition` was given and failed (nothing written). */
  private async put(item: Item, condition?: string): Promise<boolean> {
    const out = await this.ifCondition(
      'PutItem',
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ...(condition ? { ConditionExpression: condition } : {}),
        }),
      ),
    );
    return out !== null;
  }

  /**
   * A conditional write: its output, or null when its condition failed (nothing was written). Every other error
   * goes through `call`'s translation. The one place a failed condition becomes a value.
   */
  private async ifCondition<T>(operation: string, promise: Promise<T>): Promise<T | null> {
    try {
      return await this.call(operation, promise);
    } catch (err) {
      if (isConditionalCheckFailed(err)) return null;
      throw err;
    }
  }

  private async delete(key: { pk: string; sk: string }): Promise<void> {
    await this.call('DeleteItem', this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: key })));
  }

  private async listType<T>(gsi3pk: string): Promise<T[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p',
      ExpressionAttributeValues: { ':p': gsi3pk },
    });
    return items.map((i) => strip<T>(i));
  }

  /** Follows LastEvaluatedKey to the end (lists that are bounded by nature: one application, one index list). */
  private async queryAll(input: QueryCommandInput): Promise<Item[]> {
    const out: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.call('Query', this.doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start })));
      out.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** BatchWriteItem in chunks of 25, retrying unprocessed items with backoff; then TransientStoreError. */
  /** Consistent reads of a few keys (≤ 100), retrying unprocessed keys with backoff. Order is not kept. */
  private async batchGet(keyList: { pk: string; sk: string }[]): Promise<Item[]> {
    const out: Item[] = [];
    let pending: Record<string, unknown>[] = keyList;
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt >= BATCH_ATTEMPTS) throw new TransientStoreError('BatchGetItem', 'UnprocessedKeys');
      if (attempt > 0) await sleep(Math.min(1000, 10 * 2 ** attempt) * (0.5 + Math.random() / 2));
      const res = await this.call(
        'BatchGetItem',
        this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }),
        ),
      );
      out.push(...((res.Responses?.[this.tableName] ?? []) as Item[]));
      pending = res.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return out;
  }

  private async batchWrite(requests: NonNullable<BatchWriteCommandInput['RequestItems']>[string]): Promise<void> {
    for (let i = 0; i < requests.length; i += BATCH_SIZE) {
      let pending = requests.slice(i, i + BATCH_SIZE);
      for (let attempt = 0; pending.length; attempt++) {
        if (attempt >= BATCH_ATTEMPTS) throw new TransientStoreError('BatchWriteItem', 'UnprocessedItems');
        if (attempt > 0) await sleep(Math.min(1000, 10 * 2 ** attempt) * (0.5 + Math.random() / 2));
        const res = await this.call(
          'BatchWriteItem',
          this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } })),
        );
        pending = res.UnprocessedItems?.[this.tableName] ?? [];
      }
    }
  }
}

/** The condition of a put that must not overwrite: no item with this key yet. */
const ABSENT = 'attribute_not_exists(pk)';

const tasksOf = (applicationId: string) => `TASKS#${applicationId}`;

function activeKeys(stage: Stage, id: string): { gsi3pk?: string; gsi3sk?: string } {
  return TERMINAL_STAGES.includes(stage) ? {} : { gsi3pk: ACTIVE, gsi3sk: `${stage}#${id}` };
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

const STRIPPED = new Set(KEY_ATTRIBUTES);

function strip<T>(item: Item): T {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) if (!STRIPPED.has(k)) out[k] = v;
  return out as T;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function epochSeconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

function encodeCursor(sortKey: string): string {
  return Buffer.from(sortKey, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
