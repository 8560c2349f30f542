// The local Step Functions service through the real @aws-sdk/client-sfn (endpoint = local URL), as production code
// reaches it.
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessHandler, listen, type SfnEndpoint } from '../../../infra/local/sfn/endpoint.js';
import { LocalStepFunctions } from '../../../infra/local/sfn/engine.js';
import {
  fixtureHandlers,
  MACHINE_ARN,
  MACHINE_NAME,
  qualificationDefinition,
  REGION,
} from '../../unit/sfn/fixtures.js';

const fixture = fixtureHandlers();
let engine: LocalStepFunctions;
let server: { url: string; endpoint: SfnEndpoint; close: () => Promise<void> };
let sfn: SFNClient;

beforeAll(async () => {
  engine = new LocalStepFunctions({
    definition: qualificationDefinition,
    stateMachineArn: MACHINE_ARN,
    stateMachineName: MACHINE_NAME,
    taskHandlers: fixture.handlers,
    timeoutScale: 0.05, // StaffReview heartbeat 10 s → 500 ms, ActorCommitments timeout 10 s → 500 ms
    retryIntervalScale: 0.001,
  });
  server = await listen(engine, { port: 0 });
  sfn = new SFNClient({
    endpoint: server.url,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  sfn?.destroy();
  await engine?.close();
  await server?.close();
});

let seq = 0;
const newId = () => `app-${Date.now().toString(36)}-${++seq}`;

async function start(input: Record<string, unknown>, name = String(input.applicationId)) {
  const out = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name, input: JSON.stringify(input) }),
  );
  return out.executionArn!;
}

async function waitDone(executionArn: string, timeoutMs = 10_000) {
  let d: DescribeExecutionCommandOutput | undefined;
  await expect
    .poll(
      async () => {
        d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        return d.status;
      },
      { timeout: timeoutMs, interval: 10, message: `still RUNNING: ${executionArn}` },
    )
    .not.toBe('RUNNING');
  return d!;
}

async function historyTypes(executionArn: string) {
  const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return h.events!.map((e) => e.type);
}

describe('local Step Functions through SFNClient', () => {
  it('runs a Lambda task and a callback approved with SendTaskSuccess, to SUCCEEDED', async () => {
    const applicationId = newId();
    const arn = await start({ applicationId, qualifyFailures: 0 });
    expect(arn).toBe(`arn:aws:states:${REGION}:123456789012:execution:${MACHINE_NAME}:${applicationId}`);

    const review = await fixture.nextTask(applicationId, 'staff_review');
    expect(review.taskToken).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(review.ctx.taskToken).toBe(review.taskToken);
    expect(review.ctx.executionArn).toBe(arn);
    const running = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(running.status).toBe('RUNNING');
    expect(running.startDate).toBeInstanceOf(Date);

    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: review.taskToken,
        output: JSON.stringify({ decision: 'approve', by: 's1' }),
      }),
    );
    const commitments = await fixture.nextTask(applicationId, 'actor_commitments');
    expect(commitments.taskToken).not.toBe(review.taskToken);
    await sfn.send(new SendTaskSuccessCommand({ taskToken: commitments.taskToken, output: '{"signed":true}' }));

    const done = await waitDone(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.stopDate).toBeInstanceOf(Date);
    const output = JSON.parse(done.output!);
    expect(output.evaluation).toEqual({ status: 'eligible_now', statusCode: 200 }); // ResultSelector on the invoke shape
    expect(output.review).toEqual({ decision: 'approve', by: 's1' }); // callback output = SendTaskSuccess output
    expect(output.commitments).toEqual({ signed: true });
    expect(output.qualifyResult).toMatchObject({
      Payload: { qualified: true },
      StatusCode: 200,
      ExecutedVersion: '$LATEST',
    });

    // The Lambda got the evaluated Payload, like a real invocation.
    const evaluateCall = fixture.calls.find(
      (c) =>
        c.state === 'EvaluateEligibility' && (c.input as { applicationId: string }).applicationId === applicationId,
    );
    expect(evaluateCall?.input).toEqual({ applicationId, qualifyFailures: 0 });

    const types = await historyTypes(arn);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(types.slice(1, 6)).toEqual([
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
    ]);
    expect(types).toContain('ChoiceStateEntered');
    expect(types).toContain('TaskSubmitted');
    expect(types.filter((t) => t === 'TaskScheduled')).toHaveLength(4);
    expect(types).toContain('SucceedStateEntered');

    const stats = engine.executionStats(arn);
    expect(stats.taskInvocations).toBe(4);
    expect(stats.stateTransitions).toBe(6); // Evaluate, Choice, StaffReview, ActorCommitments, Qualify, Qualified
  });

  it('SendTaskFailure is caught by its error name; a second answer on the same token is TaskTimedOut', async () => {
    const applicationId = newId();
    const arn = await start({ applicationId });
    const review = await fixture.nextTask(applicationId, 'staff_review');
    await sfn.send(
      new SendTaskFailureCommand({ taskToken: review.taskToken, error: 'Rejected', cause: 'hors périmètre' }),
    );

    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: review.taskToken, output: '{"decision":"approve"}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(sfn.send(new SendTaskHeartbeatCommand({ taskToken: review.taskToken }))).rejects.toMatchObject({
      name: 'TaskTimedOut',
      $metadata: { httpStatusCode: 400 },
    });

    const done = await waitDone(arn);
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!);
    expect(output.stage).toBe('rejected');
    expect(output.error).toEqual({ Error: 'Rejected', Cause: 'hors périmètre' });
    expect(fixture.recorded).toContainEqual({ applicationId, kind: 'rejected' });
    expect(await historyTypes(arn)).toContain('TaskFailed');
  });

  it('rejects a malformed token with InvalidToken and an unknown one with TaskTimedOut', async () => {
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: 'bad token!', output: '{}' })),
    ).rejects.toBeInstanceOf(InvalidToken);
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: 'A'.repeat(64), output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('a heartbeat keeps a task alive past HeartbeatSeconds; its absence times the task out', async () => {
    const alive = newId();
    const arn = await start({ applicationId: alive });
    const review = await fixture.nextTask(alive, 'staff_review');
    // HeartbeatSeconds 10 scaled → 500 ms; beat every 100 ms for 1.2 s.
    for (let i = 0; i < 12; i++) {
      await new Promise((r) => setTimeout(r, 100));
      await sfn.send(new SendTaskHeartbeatCommand({ taskToken: review.taskToken }));
    }
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: review.taskToken, output: '{"decision":"approve"}' }));
    await fixture.nextTask(alive, 'actor_commitments');
    await sfn.send(new StopExecutionCommand({ executionArn: arn }));

    const silent = newId();
    const arn2 = await start({ applicationId: silent });
    const silentReview = await fixture.nextTask(silent, 'staff_review');
    const done = await waitDone(arn2);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('Expired');
    expect(fixture.recorded).toContainEqual({ applicationId: silent, kind: 'expired' });
    const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn2 }));
    const timedOut = h.events!.find((e) => e.type === 'TaskTimedOut');
    expect(timedOut?.taskTimedOutEventDetails?.error).toBe('States.HeartbeatTimeout');
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: silentReview.taskToken, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('TimeoutSeconds raises States.Timeout, which States.TaskFailed does not catch', async () => {
    const applicationId = newId();
    const arn = await start({ applicationId });
    const review = await fixture.nextTask(applicationId, 'staff_review');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: review.taskToken, output: '{"decision":"approve"}' }));
    await fixture.nextTask(applicationId, 'actor_commitments'); // never answered: 10 s scaled → 500 ms
    const done = await waitDone(arn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('Expired');
    expect(fixture.recorded).toContainEqual({ applicationId, kind: 'expired' });
    const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }));
    expect(h.events!.find((e) => e.type === 'TaskTimedOut')?.taskTimedOutEventDetails?.error).toBe('States.Timeout');
  });

  it('retries a handler failing twice with a retryable error, then succeeds', async () => {
    const applicationId = newId();
    const arn = await start({ applicationId, qualifyFailures: 2 });
    await approveBoth(applicationId);
    const done = await waitDone(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(
      fixture.calls.filter(
        (c) => c.state === 'Qualify' && (c.input as { applicationId: string }).applicationId === applicationId,
      ),
    ).toHaveLength(3);
    const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }));
    const failures = h.events!.filter((e) => e.type === 'TaskFailed');
    expect(failures).toHaveLength(2);
    expect(failures[0]!.taskFailedEventDetails?.error).toBe('TransientStoreError');
    expect(JSON.parse(failures[0]!.taskFailedEventDetails!.cause!)).toEqual({
      errorType: 'TransientStoreError',
      errorMessage: 'throttled',
    });
    expect(engine.executionStats(arn).taskInvocations).toBe(6);
  });

  it('a handler failing for good goes Catch → RecordError → Fail: FAILED with the error', async () => {
    const applicationId = newId();
    const arn = await start({ applicationId, qualifyFatal: true });
    await approveBoth(applicationId);
    const done = await waitDone(arn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('WorkflowFailed');
    expect(done.cause).toBe('a technical error ended the workflow');
    const recorded = fixture.recorded.find(
      (r) => (r as { applicationId: string; kind: string }).applicationId === applicationId,
    ) as { kind: string; error: { Error: string; Cause: string } };
    expect(recorded.kind).toBe('error');
    expect(recorded.error.Error).toBe('BoomError');
    expect(JSON.parse(recorded.error.Cause).errorMessage).toBe('cannot publish places');
    const types = await historyTypes(arn);
    expect(types.at(-2)).toBe('FailStateEntered');
    expect(types.at(-1)).toBe('ExecutionFailed');
  });

  it('StartExecution is idempotent for the same name and input while running, ExecutionAlreadyExists otherwise', async () => {
    const applicationId = newId();
    const input = { applicationId };
    const first = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name: applicationId, input: JSON.stringify(input) }),
    );
    const again = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name: applicationId, input: JSON.stringify(input) }),
    );
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate?.getTime()).toBe(first.startDate?.getTime());
    await expect(
      sfn.send(
        new StartExecutionCommand({
          stateMachineArn: MACHINE_ARN,
          name: applicationId,
          input: '{"applicationId":"other"}',
        }),
      ),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn!, error: 'Test', cause: 'done' }));
    await expect(
      sfn.send(
        new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name: applicationId, input: JSON.stringify(input) }),
      ),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('lists, describes, stops executions and reads their history', async () => {
    const a = newId();
    const b = newId();
    const arnA = await start({ applicationId: a });
    const arnB = await start({ applicationId: b, status: 'not_eligible_yet' });
    const doneB = await waitDone(arnB);
    expect(doneB.status).toBe('SUCCEEDED');
    expect(JSON.parse(doneB.output!).stage).toBe('not_eligible');

    const review = await fixture.nextTask(a, 'staff_review');
    const running = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: MACHINE_ARN, statusFilter: 'RUNNING' }),
    );
    expect(running.executions!.map((e) => e.executionArn)).toContain(arnA);
    expect(running.executions!.every((e) => e.status === 'RUNNING')).toBe(true);
    const succeeded = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: MACHINE_ARN, statusFilter: 'SUCCEEDED' }),
    );
    expect(succeeded.executions!.map((e) => e.executionArn)).toContain(arnB);

    const stopped = await sfn.send(
      new StopExecutionCommand({ executionArn: arnA, error: 'Superseded', cause: 'test' }),
    );
    expect(stopped.stopDate).toBeInstanceOf(Date);
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: arnA }));
    expect(d).toMatchObject({
      status: 'ABORTED',
      error: 'Superseded',
      cause: 'test',
      name: a,
      stateMachineArn: MACHINE_ARN,
    });
    expect(JSON.parse(d.input!)).toEqual({ applicationId: a });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: review.taskToken, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);

    const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arnA }));
    const events = h.events!;
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Superseded' },
    });
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.timestamp).toBeInstanceOf(Date);
    expect(JSON.parse(events[0]!.executionStartedEventDetails!.input!)).toEqual({ applicationId: a });

    const page1 = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: arnA, maxResults: 2, reverseOrder: true }),
    );
    expect(page1.events!.map((e) => e.type)[0]).toBe('ExecutionAborted');
    expect(page1.nextToken).toBeTruthy();
    const page2 = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: arnA,
        maxResults: 2,
        reverseOrder: true,
        nextToken: page1.nextToken,
      }),
    );
    expect(page2.events![0]!.id).toBe(events.length - 2);

    const missing = arnA.replace(/:[^:]+$/, ':nope');
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: missing }))).rejects.toBeInstanceOf(
      ExecutionDoesNotExist,
    );
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' }))).rejects.toBeInstanceOf(
      InvalidArn,
    );
  });

  it('describes and lists the state machine', async () => {
    const sm = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: MACHINE_ARN }));
    expect(sm).toMatchObject({ name: MACHINE_NAME, status: 'ACTIVE', type: 'STANDARD' });
    expect(JSON.parse(sm.definition!).StartAt).toBe('EvaluateEligibility');
    const list = await sfn.send(new ListStateMachinesCommand({}));
    expect(list.stateMachines!.map((s) => s.stateMachineArn)).toEqual([MACHINE_ARN]);
  });

  it('answers protocol errors in the AWS shape and keeps serving', async () => {
    const post = (body: string, target = 'AWSStepFunctions.DescribeExecution') =>
      fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
        body,
      });
    const malformed = await post('{"executionArn": ');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(await malformed.json()).toMatchObject({ __type: expect.stringMatching(/#SerializationException$/) });

    const unknown = await post('{}', 'AWSStepFunctions.CreateStateMachine');
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).__type).toMatch(/#UnknownOperationException$/);

    const missing = await post('{}');
    expect(missing.status).toBe(400);
    expect((await missing.json()).__type).toMatch(/#ValidationException$/);

    const wrongType = await post('{"executionArn": 42}');
    expect(wrongType.status).toBe(400);

    const huge = await post(JSON.stringify({ executionArn: 'x'.repeat(2 * 1024 * 1024) })).catch(() => null);
    if (huge) expect(huge.status).toBe(413);

    const get = await fetch(server.url);
    expect(get.status).toBe(404);

    const badInput = sfn.send(
      new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name: newId(), input: '{nope' }),
    );
    await expect(badInput).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
    const badName = sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, name: 'a b', input: '{}' }));
    await expect(badName).rejects.toMatchObject({ name: 'InvalidName' });
    const otherMachine = sfn.send(
      new StartExecutionCommand({ stateMachineArn: MACHINE_ARN.replace(/:[^:]+$/, ':Other'), input: '{}' }),
    );
    await expect(otherMachine).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    const badOutput = sfn.send(new SendTaskSuccessCommand({ taskToken: 'B'.repeat(64), output: 'not json' }));
    await expect(badOutput).rejects.toMatchObject({ name: 'TaskTimedOut' });

    // still serving
    const list = await sfn.send(new ListStateMachinesCommand({}));
    expect(list.stateMachines).toHaveLength(1);
  });
});

describe("the same SFNClient with the in-process transport (the local runtime's own use cases)", () => {
  let direct: SFNClient;
  beforeAll(() => {
    direct = new SFNClient({
      endpoint: server.url,
      region: REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
      requestHandler: inProcessHandler(server.endpoint),
    });
  });
  afterAll(() => direct.destroy());

  it('starts, answers a callback and describes an execution, with dates and outputs as over HTTP', async () => {
    const applicationId = newId();
    const out = await direct.send(
      new StartExecutionCommand({
        stateMachineArn: MACHINE_ARN,
        name: applicationId,
        input: JSON.stringify({ applicationId, qualifyFailures: 0 }),
      }),
    );
    expect(out.startDate).toBeInstanceOf(Date);
    const review = await fixture.nextTask(applicationId, 'staff_review');
    await direct.send(new SendTaskSuccessCommand({ taskToken: review.taskToken, output: '{"decision":"approve"}' }));
    const commitments = await fixture.nextTask(applicationId, 'actor_commitments');
    await direct.send(new SendTaskSuccessCommand({ taskToken: commitments.taskToken, output: '{"signed":true}' }));
    const done = await waitDone(out.executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    const seen = await direct.send(new DescribeExecutionCommand({ executionArn: out.executionArn! }));
    expect(seen).toMatchObject({ status: 'SUCCEEDED', executionArn: out.executionArn });
    expect(seen.stopDate).toBeInstanceOf(Date);
  });

  it("turns service errors into the SDK's named exceptions", async () => {
    await expect(
      direct.send(new SendTaskSuccessCommand({ taskToken: 'bad token!', output: '{}' })),
    ).rejects.toBeInstanceOf(InvalidToken);
    await expect(
      direct.send(new SendTaskSuccessCommand({ taskToken: 'A'.repeat(64), output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(
      direct.send(
        new DescribeExecutionCommand({ executionArn: `${MACHINE_ARN.replace(':stateMachine:', ':execution:')}:nope` }),
      ),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(direct.send(new DescribeExecutionCommand({ executionArn: 'nope' }))).rejects.toBeInstanceOf(
      InvalidArn,
    );
  });
});

async function approveBoth(applicationId: string) {
  const review = await fixture.nextTask(applicationId, 'staff_review');
  await sfn.send(new SendTaskSuccessCommand({ taskToken: review.taskToken, output: '{"decision":"approve"}' }));
  const commitments = await fixture.nextTask(applicationId, 'actor_commitments');
  await sfn.send(new SendTaskSuccessCommand({ taskToken: commitments.taskToken, output: '{"signed":true}' }));
}
