// LocalStepFunctions without HTTP: construction checks, task shapes, Parallel / Map, timers, close().
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type HistoryEvent, LocalStepFunctions, type TaskHandler } from '../../../infra/local/sfn/engine.js';
import { SfnServiceError } from '../../../infra/local/sfn/errors.js';
import { longTimeout, MAX_TIMER_MS } from '../../../infra/local/sfn/timers.js';
import { MACHINE_ARN, qualificationDefinition } from './fixtures.js';

const engines: LocalStepFunctions[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

function make(definition: object, taskHandlers: Record<string, TaskHandler>, extra: Record<string, unknown> = {}) {
  const engine = new LocalStepFunctions({
    definition,
    stateMachineArn: MACHINE_ARN,
    stateMachineName: 'QualificationFixture',
    taskHandlers,
    ...extra,
  });
  engines.push(engine);
  return engine;
}

async function settled(engine: LocalStepFunctions, arn: string, timeoutMs = 5_000) {
  await expect
    .poll(() => engine.describeExecution(arn).status, { timeout: timeoutMs, interval: 5, message: 'still running' })
    .not.toBe('RUNNING');
  // One turn of the event loop: the library logs its last events asynchronously, after the status changes.
  await new Promise((r) => setImmediate(r));
  return engine.describeExecution(arn);
}

const fn = (name: string) => `arn:aws:lambda:eu-west-3:123456789012:function:${name}`;

const nested = {
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Left', States: { Left: { Type: 'Task', Resource: fn('left'), End: true } } },
        {
          StartAt: 'Each',
          States: {
            Each: {
              Type: 'Map',
              ItemsPath: '$.items',
              ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Task', Resource: fn('item'), End: true } } },
              End: true,
            },
          },
        },
      ],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

describe('LocalStepFunctions construction', () => {
  it('throws when a Task (inside Parallel and Map too) has no handler, or a handler names no Task', () => {
    expect(() => make(nested, { Left: async () => 1 })).toThrow(/no task handler.*Item/);
    expect(() => make(nested, { Item: async () => 1 })).toThrow(/no task handler.*Left/);
    expect(() => make(nested, { Left: async () => 1, Item: async () => 1, Ghost: async () => 1 })).toThrow(/Ghost/);
  });

  it('rejects an invalid definition, an invalid ARN, and callbackStates that are not Tasks', () => {
    expect(() => make({ StartAt: 'Nope', States: {} }, {})).toThrow(/invalid/i);
    expect(
      () =>
        new LocalStepFunctions({
          definition: nested,
          stateMachineArn: 'nope',
          stateMachineName: 'x',
          taskHandlers: {},
        }),
    ).toThrow(/ARN/);
    expect(() => make(nested, { Left: async () => 1, Item: async () => 1 }, { callbackStates: ['Fan'] })).toThrow(
      /Fan/,
    );
  });

  it('infers callback Tasks from .waitForTaskToken resources', () => {
    const handlers = Object.fromEntries(
      [
        'EvaluateEligibility',
        'StaffReview',
        'ActorCommitments',
        'Qualify',
        'RecordRejected',
        'RecordExpired',
        'RecordError',
      ].map((n) => [n, async () => ({})]),
    );
    const engine = make(qualificationDefinition, handlers);
    const callbacks = engine
      .taskStates()
      .filter((t) => t.callback)
      .map((t) => t.name);
    expect(callbacks.sort()).toEqual(['ActorCommitments', 'StaffReview']);
  });
});

describe('LocalStepFunctions executions', () => {
  it('runs Tasks inside Parallel and Map; a Lambda ARN Task gets its input and returns the raw result', async () => {
    const seen: unknown[] = [];
    const engine = make(nested, {
      Left: async (input) => {
        seen.push(input);
        return { left: true, at: new Date(0) };
      },
      Item: async (input) => input * 2,
    });
    const { executionArn } = await engine.startExecution({ name: 'nested', input: { items: [1, 2, 3] } });
    const d = await settled(engine, executionArn);
    expect(d.status).toBe('SUCCEEDED');
    // Results go through JSON like a Lambda's: the Date is a string.
    expect(JSON.parse(d.output!)).toEqual([{ left: true, at: '1970-01-01T00:00:00.000Z' }, [2, 4, 6]]);
    expect(seen).toEqual([{ items: [1, 2, 3] }]);
    expect(engine.executionStats(executionArn).taskInvocations).toBe(4);
  });

  it('puts a fresh token where $$.Task.Token is, for any .waitForTaskToken integration and declared callbacks', async () => {
    const definition = {
      StartAt: 'Queue',
      States: {
        Queue: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Parameters: {
            QueueUrl: 'q',
            MessageBody: { nested: [{ 'token.$': '$$.Task.Token' }], 'id.$': '$$.Execution.Name' },
          },
          Next: 'Direct',
        },
        Direct: {
          Type: 'Task',
          Resource: fn('direct'),
          Parameters: { 'token.$': '$$.Task.Token', 'machine.$': '$$.StateMachine.Name' },
          End: true,
        },
      },
    };
    const tokens: string[] = [];
    const engine = make(
      definition,
      {
        Queue: async (input, ctx) => {
          tokens.push(input.MessageBody.nested[0].token);
          expect(input.MessageBody.id).toBe('tok');
          queueMicrotask(() => engine.sendTaskSuccess(ctx.taskToken!, '{"queued":1}'));
          return null;
        },
        Direct: async (input, ctx) => {
          tokens.push(input.token);
          expect(input.machine).toBe('QualificationFixture');
          engine.sendTaskSuccess(ctx.taskToken!, { direct: 2 });
          return 'ignored';
        },
      },
      { callbackStates: ['Direct'] },
    );
    const { executionArn } = await engine.startExecution({ name: 'tok' });
    const d = await settled(engine, executionArn);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toEqual({ direct: 2 });
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).not.toBe(tokens[1]);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{64}$/);
  });

  it('keeps a long wait on the same task when the library timer is renewed', async () => {
    let calls = 0;
    let token = '';
    const definition = {
      StartAt: 'Wait',
      States: {
        Wait: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'f', Payload: { 'taskToken.$': '$$.Task.Token' } },
          TimeoutSeconds: 31_536_000, // a year: beyond Node's 24.8-day timer
          Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 1, IntervalSeconds: 1 }],
          End: true,
        },
      },
    };
    const engine = make(
      definition,
      {
        Wait: async (input) => {
          calls++;
          token = input.taskToken;
        },
      },
      { rearmIntervalMs: 20 },
    );
    // Counts the engine's renewal timers (the only 20 ms timers here) instead of sleeping for ~10 of them.
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const renewals = () => timers.mock.calls.filter(([, ms]) => ms === 20).length;
    const { executionArn } = await engine.startExecution({ name: 'long' });
    try {
      await expect.poll(renewals, { timeout: 10_000 }).toBeGreaterThanOrEqual(10);
    } finally {
      timers.mockRestore();
    }
    expect(engine.describeExecution(executionArn).status).toBe('RUNNING');
    engine.sendTaskSuccess(token, '{"done":true}');
    const d = await settled(engine, executionArn);
    expect(d.status).toBe('SUCCEEDED');
    expect(calls).toBe(1);
    const types = engine.getExecutionHistory(executionArn).events.map((e) => e.type);
    expect(types.filter((t) => t === 'TaskScheduled')).toHaveLength(1);
    expect(types).not.toContain('TaskFailed');
  });

  it('times an execution out with the machine TimeoutSeconds (scaled) and releases its tasks', async () => {
    const definition = {
      StartAt: 'Wait',
      TimeoutSeconds: 2,
      States: {
        Wait: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'f', Payload: { 'taskToken.$': '$$.Task.Token' } },
          End: true,
        },
      },
    };
    let token = '';
    const engine = make(
      definition,
      {
        Wait: async (input) => {
          token = input.taskToken;
        },
      },
      { timeoutScale: 0.05 },
    );
    const { executionArn } = await engine.startExecution({ name: 'slow' });
    const d = await settled(engine, executionArn);
    expect(d).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(engine.getExecutionHistory(executionArn).events.at(-1)?.type).toBe('ExecutionTimedOut');
    expect(() => engine.sendTaskSuccess(token, '{}')).toThrow(SfnServiceError);
  });

  it('validates names and inputs like AWS', async () => {
    const engine = make(nested, { Left: async () => 1, Item: async () => 1 });
    await expect(engine.startExecution({ name: 'has space' })).rejects.toMatchObject({ code: 'InvalidName' });
    await expect(engine.startExecution({ name: 'x'.repeat(81) })).rejects.toMatchObject({ code: 'InvalidName' });
    await expect(engine.startExecution({ input: '{oops' })).rejects.toMatchObject({ code: 'InvalidExecutionInput' });
    await expect(engine.startExecution({ input: JSON.stringify({ s: 'x'.repeat(300_000) }) })).rejects.toMatchObject({
      code: 'ValidationException',
    });
    expect(() => engine.describeExecution('arn:nope')).toThrow(expect.objectContaining({ code: 'InvalidArn' }));
  });

  it('uses the given clock, reports events, and close() aborts running executions and leaves no timers', async () => {
    const events: HistoryEvent[] = [];
    const fixed = new Date('2026-11-02T10:00:00Z');
    const definition = {
      StartAt: 'Wait',
      TimeoutSeconds: 31_536_000,
      States: {
        Wait: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'f', Payload: { 'taskToken.$': '$$.Task.Token' } },
          TimeoutSeconds: 2_592_000,
          HeartbeatSeconds: 86_400,
          End: true,
        },
      },
    };
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    let token = '';
    const engine = new LocalStepFunctions({
      definition,
      stateMachineArn: MACHINE_ARN,
      stateMachineName: 'QualificationFixture',
      taskHandlers: {
        Wait: async (input) => {
          token = input.taskToken;
        },
      },
      clock: () => fixed,
      onEvent: ({ event }) => events.push(event),
    });
    const { executionArn, startDate } = await engine.startExecution({ name: 'closing' });
    expect(startDate).toEqual(fixed);
    await expect.poll(() => token, { interval: 5 }).not.toBe('');
    await engine.close();
    expect(engine.describeExecution(executionArn)).toMatchObject({ status: 'ABORTED', stopDate: fixed });
    expect(() => engine.sendTaskSuccess(token, '{}')).toThrow(expect.objectContaining({ code: 'TaskTimedOut' }));
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'ExecutionAborted',
    ]);
    await new Promise((r) => setImmediate(r));
    const timersAfter = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(timersAfter).toBeLessThanOrEqual(timersBefore);
    await expect(engine.startExecution({ name: 'late' })).rejects.toBeInstanceOf(SfnServiceError);
  });
});

describe('longTimeout', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires after delays beyond Node timer limit, in chunks, and can be cancelled', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    longTimeout(fired, MAX_TIMER_MS * 2 + 10);
    vi.advanceTimersByTime(MAX_TIMER_MS);
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(10);
    expect(fired).toHaveBeenCalledOnce();

    const cancelled = vi.fn();
    const t = longTimeout(cancelled, MAX_TIMER_MS + 5);
    vi.advanceTimersByTime(MAX_TIMER_MS);
    t.cancel();
    vi.advanceTimersByTime(10);
    expect(cancelled).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});
