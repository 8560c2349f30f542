import '../../../shared/runtime/polyfills.js';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../shared/config/config.js';
import { newRandomToken, newUuid } from '../../../shared/runtime/ids.js';
import { logger } from '../../../shared/runtime/logger.js';
import { outboxOnlyMailer } from '../../../shared/runtime/mailer.js';
import { logMetrics } from '../../../shared/runtime/metrics.js';
import { decideTask } from '../../../shared/usecases/decisions.js';
import type { Deps } from '../../../shared/usecases/ports.js';
import { redeliverUndelivered } from '../../../shared/usecases/reminders.js';
import { type TestDynamo, withDynalite } from '../../helpers/dynalite.js';

/**
 * The reminder job's sweep of decisions claimed but never delivered (the function died between the claim and
 * SendTaskSuccess/Failure, AWS): Step Functions faults from aws-sdk-client-mock, the store on dynalite.
 */
const sfnMock = mockClient(SFNClient);
let db: TestDynamo;
const quiet = logger.child({}, { level: 'silent' });
const T0 = Date.parse('2026-12-02T10:00:00.000Z');

function depsAt(ms: number): Deps {
  return {
    store: db.store,
    sfn: new SFNClient({ region: 'eu-west-3' }),
    stateMachineArn: 'arn:aws:states:eu-west-3:000000000000:stateMachine:test',
    config: async () => DEFAULT_CONFIG,
    clock: () => new Date(ms),
    newId: newUuid,
    newToken: newRandomToken,
    mailer: outboxOnlyMailer,
    logger: quiet,
    metrics: logMetrics(quiet),
  };
}

beforeAll(async () => {
  db = await withDynalite();
});
afterAll(() => db?.close());
beforeEach(() => sfnMock.reset());
// Workers are shared between test files (vitest.config.ts): the SDK class goes back to its own `send`.
afterAll(() => sfnMock.restore());

/** A task opened at T0 and claimed at T0 by staff, as decideTask does before it calls Step Functions. */
async function claimedTask(decision: 'approve' | 'reject', comment?: string) {
  const applicationId = newUuid();
  const token = `token-${applicationId}`;
  const taskId = await db.store.tasks.open({
    applicationId,
    step: 'staff_review',
    round: 1,
    token,
    openedAt: new Date(T0).toISOString(),
    route: null,
    phase: null,
    departements: ['33'],
    flags: [],
    assignee: null,
  });
  const at = new Date(T0).toISOString();
  await db.store.tasks.claim(taskId, { decision, by: 'alice@aptic.test', at, comment, byKind: 'staff' });
  return { applicationId, taskId, token };
}

const decisions = async (applicationId: string) =>
  (await db.store.history.list(applicationId)).filter((e) => e.type.startsWith('decision_')).map((e) => e.type);

const AFTER = T0 + (DEFAULT_CONFIG.workflow.redeliverAfterSeconds + 1) * 1000;

describe('claimed but undelivered decisions (reminder job sweep)', () => {
  it('are left alone while younger than workflow.redeliverAfterSeconds, then delivered once and recorded once', async () => {
    const { applicationId, taskId, token } = await claimedTask('approve', 'Dossier complet.');
    sfnMock.on(SendTaskSuccessCommand).resolves({});

    expect(await redeliverUndelivered(depsAt(T0 + 60_000))).toEqual({ redelivered: 0, staleDecisions: 0 });
    expect(sfnMock.calls()).toHaveLength(0);

    expect(await redeliverUndelivered(depsAt(AFTER))).toEqual({ redelivered: 1, staleDecisions: 0 });
    const sent = sfnMock.commandCalls(SendTaskSuccessCommand);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.args[0].input.taskToken).toBe(token);
    expect(JSON.parse(sent[0]!.args[0].input.output!)).toEqual({ decision: 'approve', by: 'staff' });
    expect(await decisions(applicationId)).toEqual(['decision_approve']);
    const history = await db.store.history.list(applicationId);
    expect(history[0]).toMatchObject({ actor: { kind: 'staff', id: 'alice@aptic.test' }, comment: 'Dossier complet.' });
    expect(await db.store.tasks.get(taskId)).toMatchObject({ status: 'decided', delivery: { outcome: 'delivered' } });

    // Idempotent: the next run finds nothing to do.
    expect(await redeliverUndelivered(depsAt(AFTER + 3_600_000))).toEqual({ redelivered: 0, staleDecisions: 0 });
    expect(sfnMock.calls()).toHaveLength(1);
    expect(await decisions(applicationId)).toEqual(['decision_approve']);
  });

  it.each(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist'])(
    'Step Functions answers %s: closed, no history event, not tried again',
    async (name) => {
      const { applicationId, taskId } = await claimedTask('reject', 'Pièces manquantes.');
      sfnMock.on(SendTaskFailureCommand).rejects(Object.assign(new Error(name), { name }));
      expect(await redeliverUndelivered(depsAt(AFTER))).toEqual({ redelivered: 0, staleDecisions: 1 });
      expect(sfnMock.commandCalls(SendTaskFailureCommand)[0]!.args[0].input).toMatchObject({ error: 'Rejected' });
      expect(await decisions(applicationId)).toEqual([]);
      expect(await db.store.tasks.get(taskId)).toMatchObject({ status: 'decided', delivery: { outcome: 'stale' } });
      sfnMock.resetHistory();
      expect(await redeliverUndelivered(depsAt(AFTER + 3_600_000))).toEqual({ redelivered: 0, staleDecisions: 0 });
      expect(sfnMock.calls()).toHaveLength(0);
    },
  );

  it('a throttled delivery stays listed and goes on the next run', async () => {
    const { applicationId } = await claimedTask('approve');
    sfnMock
      .on(SendTaskSuccessCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }))
      .resolves({});
    expect(await redeliverUndelivered(depsAt(AFTER))).toEqual({ redelivered: 0, staleDecisions: 0 });
    expect(await decisions(applicationId)).toEqual([]);
    expect(await redeliverUndelivered(depsAt(AFTER + 60_000))).toEqual({ redelivered: 1, staleDecisions: 0 });
    expect(await decisions(applicationId)).toEqual(['decision_approve']);
  });

  it('a decision delivered at once, or refused as stale at once, is never swept', async () => {
    const staff = { kind: 'staff', email: 'bob@aptic.test', role: 'reviewer', sessionHash: 'test' } as const;
    const open = async () => {
      const applicationId = newUuid();
      return db.store.tasks.open({
        applicationId,
        step: 'staff_review',
        round: 1,
        token: `token-${applicationId}`,
        openedAt: new Date(T0).toISOString(),
        route: null,
        phase: null,
        departements: ['33'],
        flags: [],
        assignee: null,
      });
    };
    const delivered = await open();
    sfnMock.on(SendTaskSuccessCommand).resolves({});
    await decideTask(depsAt(T0), staff, delivered, { decision: 'approve' });
    const stale = await open();
    sfnMock.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('gone'), { name: 'TaskTimedOut' }));
    await expect(decideTask(depsAt(T0), staff, stale, { decision: 'approve' })).rejects.toMatchObject({
      publicCode: 'task_already_decided',
    });
    sfnMock.resetHistory();
    expect(await redeliverUndelivered(depsAt(AFTER))).toEqual({ redelivered: 0, staleDecisions: 0 });
    expect(sfnMock.calls()).toHaveLength(0);
  });
});
