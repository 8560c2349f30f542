// ASL fixtures in the shapes the CDK stack synthesizes (lambda:invoke with Payload.$, lambda:invoke.waitForTaskToken
// with $$.Task.Token in the Payload, Retry, Catch, Choice), and handlers driven by the execution input.
import type { LocalStepFunctionsOptions, TaskContext } from '../../../infra/local/sfn/engine.js';

export const REGION = 'eu-west-3';
export const ACCOUNT = '123456789012';
export const MACHINE_NAME = 'QualificationFixture';
export const MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${MACHINE_NAME}`;

const invoke = (fn: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: fn },
});

const callback = (step: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: {
    FunctionName: 'PLACEHOLDER_OpenTaskFn',
    Payload: { 'applicationId.$': '$.applicationId', step, 'taskToken.$': '$$.Task.Token' },
  },
});

const recordError = { ErrorEquals: ['States.ALL'], Next: 'RecordError', ResultPath: '$.error' };

export const qualificationDefinition = {
  Comment: 'fixture shaped like the qualification workflow',
  StartAt: 'EvaluateEligibility',
  TimeoutSeconds: 600,
  States: {
    EvaluateEligibility: {
      ...invoke('PLACEHOLDER_EvaluateFn'),
      Parameters: { FunctionName: 'PLACEHOLDER_EvaluateFn', 'Payload.$': '$' },
      ResultSelector: { 'status.$': '$.Payload.status', 'statusCode.$': '$.StatusCode' },
      ResultPath: '$.evaluation',
      Retry: [{ ErrorEquals: ['TransientStoreError'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }],
      Catch: [recordError],
      Next: 'EligibilityChoice',
    },
    EligibilityChoice: {
      Type: 'Choice',
      Choices: [{ Variable: '$.evaluation.status', StringEquals: 'eligible_now', Next: 'StaffReview' }],
      Default: 'NotEligible',
    },
    NotEligible: { Type: 'Pass', Result: 'not_eligible', ResultPath: '$.stage', Next: 'Done' },
    StaffReview: {
      ...callback('staff_review'),
      HeartbeatSeconds: 10,
      TimeoutSeconds: 100,
      ResultPath: '$.review',
      Catch: [
        { ErrorEquals: ['Rejected'], Next: 'RecordRejected', ResultPath: '$.error' },
        { ErrorEquals: ['States.Timeout', 'States.HeartbeatTimeout'], Next: 'RecordExpired', ResultPath: '$.error' },
        recordError,
      ],
      Next: 'ActorCommitments',
    },
    ActorCommitments: {
      ...callback('actor_commitments'),
      TimeoutSeconds: 10,
      ResultPath: '$.commitments',
      Catch: [
        // States.TaskFailed must not match States.Timeout (AWS semantics): the timeout goes to RecordExpired.
        { ErrorEquals: ['States.TaskFailed'], Next: 'RecordError', ResultPath: '$.error' },
        { ErrorEquals: ['States.Timeout'], Next: 'RecordExpired', ResultPath: '$.error' },
      ],
      Next: 'Qualify',
    },
    Qualify: {
      ...invoke('PLACEHOLDER_QualifyFn'),
      Parameters: { FunctionName: 'PLACEHOLDER_QualifyFn', 'Payload.$': '$' },
      ResultPath: '$.qualifyResult',
      Retry: [{ ErrorEquals: ['TransientStoreError'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
      Catch: [recordError],
      Next: 'Qualified',
    },
    Qualified: { Type: 'Succeed' },
    RecordRejected: {
      ...invoke('PLACEHOLDER_RecordFn'),
      Parameters: {
        FunctionName: 'PLACEHOLDER_RecordFn',
        Payload: { 'applicationId.$': '$.applicationId', kind: 'rejected' },
      },
      ResultPath: null,
      Next: 'Rejected',
    },
    Rejected: { Type: 'Pass', Result: 'rejected', ResultPath: '$.stage', Next: 'Done' },
    RecordExpired: {
      ...invoke('PLACEHOLDER_RecordFn'),
      Parameters: {
        FunctionName: 'PLACEHOLDER_RecordFn',
        Payload: { 'applicationId.$': '$.applicationId', kind: 'expired' },
      },
      ResultPath: null,
      Next: 'Expired',
    },
    Expired: { Type: 'Fail', Error: 'Expired', Cause: 'a human step timed out' },
    RecordError: {
      ...invoke('PLACEHOLDER_RecordFn'),
      Parameters: {
        FunctionName: 'PLACEHOLDER_RecordFn',
        Payload: { 'applicationId.$': '$.applicationId', kind: 'error', 'error.$': '$.error' },
      },
      ResultPath: null,
      Next: 'Failed',
    },
    Failed: { Type: 'Fail', Error: 'WorkflowFailed', Cause: 'a technical error ended the workflow' },
    Done: { Type: 'Succeed' },
  },
};

export class TransientStoreError extends Error {
  override name = 'TransientStoreError';
}
export class BoomError extends Error {
  override name = 'BoomError';
}

export interface OpenedTask {
  applicationId: string;
  step: string;
  taskToken: string;
  ctx: TaskContext;
}

/** Handlers for the fixture: behaviour is chosen by the execution input (`status`, `qualifyFailures`, `qualifyFatal`). */
export function fixtureHandlers() {
  const calls: { state: string; input: unknown }[] = [];
  const recorded: unknown[] = [];
  const opened: OpenedTask[] = [];
  const waiters: { step: string; applicationId: string; resolve: (t: OpenedTask) => void }[] = [];
  const failuresLeft = new Map<string, number>();

  const handlers: LocalStepFunctionsOptions['taskHandlers'] = {
    EvaluateEligibility: async (input) => {
      calls.push({ state: 'EvaluateEligibility', input });
      return { status: input.status ?? 'eligible_now', applicationId: input.applicationId };
    },
    StaffReview: async (input, ctx) => openTask(input, ctx),
    ActorCommitments: async (input, ctx) => openTask(input, ctx),
    Qualify: async (input) => {
      calls.push({ state: 'Qualify', input });
      const id = String(input.applicationId);
      if (input.qualifyFatal) throw new BoomError('cannot publish places');
      if (!failuresLeft.has(id)) failuresLeft.set(id, Number(input.qualifyFailures ?? 0));
      const left = failuresLeft.get(id)!;
      if (left > 0) {
        failuresLeft.set(id, left - 1);
        throw new TransientStoreError('throttled');
      }
      return { qualified: true };
    },
    RecordRejected: async (input) => record(input),
    RecordExpired: async (input) => record(input),
    RecordError: async (input) => record(input),
  };

  function record(input: unknown) {
    recorded.push(input);
    return { ok: true };
  }

  async function openTask(input: { applicationId: string; step: string; taskToken: string }, ctx: TaskContext) {
    calls.push({ state: ctx.stateName, input });
    const task = { applicationId: input.applicationId, step: input.step, taskToken: input.taskToken, ctx };
    opened.push(task);
    for (const w of waiters.splice(0)) {
      if (w.step === task.step && w.applicationId === task.applicationId) w.resolve(task);
      else waiters.push(w);
    }
    return { opened: true };
  }

  /** Resolves with the task opened for (applicationId, step) — the latest one, or the next one to come. */
  function nextTask(applicationId: string, step: string, after = 0): Promise<OpenedTask> {
    const found = opened.filter((t) => t.applicationId === applicationId && t.step === step);
    if (found.length > after) return Promise.resolve(found[after]!);
    return new Promise((resolve) => waiters.push({ step, applicationId, resolve }));
  }

  return { handlers, calls, recorded, opened, nextTask };
}
