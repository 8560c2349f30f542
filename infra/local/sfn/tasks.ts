// Running Task states: what a handler receives and what its result becomes (Lambda ARN, lambda:invoke, callbacks),
// task tokens (.waitForTaskToken) and SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat, TimeoutSeconds and
// HeartbeatSeconds enforced here (scaled), the renewal of the library's own Task timer, and the Task* history events.
import { randomBytes, randomUUID } from 'node:crypto';
import { REARM_ERROR } from './definition.js';
import { SfnServiceError } from './errors.js';
import { statesTimeout } from './shim.js';
import { longTimeout } from './timers.js';
import {
  type AppendEvent,
  type ExecutionRecord,
  type Json,
  type Outcome,
  overPayloadLimit,
  type PendingTask,
  type TaskContext,
  type TaskHandler,
  type TaskStateInfo,
} from './types.js';

/** Stands for `$$.Task.Token` in the Context Object: the library has one Context per run, so each task attempt swaps it. */
export const TOKEN_PLACEHOLDER = '$$local-sfn.task-token$$';
const TOKEN_PATTERN = /^[A-Za-z0-9+/=_.-]{16,1024}$/;

export interface TaskRunnerOptions {
  handlers: Record<string, TaskHandler>;
  timeoutScale: number;
  /** How long a task waits before renewing the library's timer (definition.ts: DEFAULT_REARM_MS). */
  rearmMs: number;
  region: string;
  append: AppendEvent;
}

/** Runs the Task attempts of one engine and holds its live task tokens. */
export class TaskRunner {
  private readonly tokens = new Map<string, PendingTask>();

  constructor(private readonly options: TaskRunnerOptions) {}

  /** The library's local handler for `info`: resolves with the Task result or throws the Task error. */
  async run(r: ExecutionRecord, info: TaskStateInfo, engineInput: Json): Promise<Json> {
    if (r.status !== 'RUNNING') throw namedError('States.Runtime', 'execution ended');
    const key = `${info.name}\u0000${JSON.stringify(engineInput)}`;
    let live = r.continuations.get(key);
    if (live) {
      r.continuations.delete(key); // the library renewed its timer: keep waiting on the same task
    } else {
      // Let the StateEntered event reach the history before TaskScheduled (the library's event log is asynchronous).
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (r.status !== 'RUNNING') throw namedError('States.Runtime', 'execution ended');
      live = this.start(r, info, engineInput);
    }

    let rearmTimer: NodeJS.Timeout | undefined;
    const rearm = new Promise<'rearm'>((resolve) => {
      rearmTimer = setTimeout(() => resolve('rearm'), this.options.rearmMs);
    });
    let o: Outcome | 'rearm';
    try {
      o = await Promise.race([live.outcome, rearm]);
    } finally {
      clearTimeout(rearmTimer);
    }
    if (o === 'rearm') {
      r.continuations.set(key, live);
      throw namedError(REARM_ERROR, 'renewing the task timer');
    }

    const base = { resourceType: info.resourceType, resource: info.resource };
    if (o.ok) {
      let output: Json = o.value;
      if (info.lambdaInvoke && !info.callback) output = lambdaInvokeOutput(o.value);
      if (r.status === 'RUNNING') {
        this.options.append(r, 'TaskSucceeded', {
          taskSucceededEventDetails: { ...base, output: JSON.stringify(output) },
        });
      }
      return output;
    }
    const error = o.error;
    if (r.status === 'RUNNING') {
      const details = { ...base, error: error.name, cause: error.message };
      if (error.name === 'States.Timeout' || error.name === 'States.HeartbeatTimeout') {
        this.options.append(r, 'TaskTimedOut', { taskTimedOutEventDetails: details });
      } else {
        this.options.append(r, 'TaskFailed', { taskFailedEventDetails: details });
      }
    }
    throw error;
  }

  sendTaskSuccess(taskToken: string, output: string | Json): void {
    const pending = this.pendingFor(taskToken);
    let value: Json;
    if (typeof output === 'string') {
      if (overPayloadLimit(output)) throw new SfnServiceError('ValidationException', 'output is too large');
      try {
        value = JSON.parse(output);
      } catch {
        throw new SfnServiceError('InvalidOutput', 'Invalid State Machine Output: output is not valid JSON');
      }
    } else {
      value = jsonRoundTrip(output);
    }
    pending.settle({ ok: true, value });
  }

  sendTaskFailure(taskToken: string, params: { error?: string; cause?: string } = {}): void {
    const pending = this.pendingFor(taskToken);
    pending.settle({ ok: false, error: namedError(params.error ?? '', params.cause ?? '') });
  }

  sendTaskHeartbeat(taskToken: string): void {
    const pending = this.pendingFor(taskToken);
    if (pending.info.heartbeatSeconds !== undefined) this.armHeartbeat(pending);
  }

  /** Forgets every token (engine closed): they answer TaskTimedOut from now on. */
  forgetTokens(): void {
    this.tokens.clear();
  }

  private pendingFor(taskToken: unknown): PendingTask {
    if (typeof taskToken !== 'string' || !TOKEN_PATTERN.test(taskToken)) {
      throw new SfnServiceError('InvalidToken', 'Invalid Token');
    }
    const pending = this.tokens.get(taskToken);
    // AWS answers TaskTimedOut for a token whose task is over (a second SendTaskSuccess, a timed-out task…).
    if (!pending || pending.settled) throw new SfnServiceError('TaskTimedOut', 'Task Timed Out');
    return pending;
  }

  /** Schedules one attempt: token, timers, handler call. The outcome comes from the handler or the token. */
  private start(
    r: ExecutionRecord,
    info: TaskStateInfo,
    engineInput: Json,
  ): { pending: PendingTask; outcome: Promise<Outcome> } {
    const { append, timeoutScale } = this.options;
    const attempt = r.attempts.get(info.name) ?? 0;
    r.attempts.set(info.name, attempt + 1);
    r.stats.taskInvocations++;

    const token = info.callback ? randomBytes(48).toString('base64url') : undefined;
    const parameters = jsonRoundTrip(token ? replaceToken(engineInput, token) : engineInput);
    const usesPayload =
      info.lambdaInvoke &&
      info.state.Parameters &&
      typeof info.state.Parameters === 'object' &&
      ('Payload' in info.state.Parameters || 'Payload.$' in info.state.Parameters);
    const handlerInput = info.lambdaInvoke ? (usesPayload ? (parameters?.Payload ?? null) : {}) : parameters;
    const base = { resourceType: info.resourceType, resource: info.resource };

    append(r, 'TaskScheduled', {
      taskScheduledEventDetails: {
        ...base,
        region: this.options.region,
        parameters: JSON.stringify(parameters),
        ...(info.timeoutSeconds !== undefined ? { timeoutInSeconds: info.timeoutSeconds } : {}),
        ...(info.heartbeatSeconds !== undefined ? { heartbeatInSeconds: info.heartbeatSeconds } : {}),
      },
    });
    append(r, 'TaskStarted', { taskStartedEventDetails: base });

    let settle: (o: Outcome) => void = () => {};
    const outcome = new Promise<Outcome>((resolve) => {
      settle = resolve;
    });
    const pending: PendingTask = {
      token,
      info,
      execution: r,
      timers: [],
      settled: false,
      settle: (o) => {
        if (pending.settled) return;
        pending.settled = true;
        for (const t of pending.timers) t.cancel();
        pending.heartbeat?.cancel();
        r.pending.delete(pending);
        if (token) this.tokens.delete(token);
        settle(o);
      },
    };
    r.pending.add(pending);
    if (token) this.tokens.set(token, pending);

    if (info.timeoutSeconds !== undefined) {
      pending.timers.push(
        longTimeout(
          () => {
            void statesTimeout('Task timed out').then((error) => pending.settle({ ok: false, error }));
          },
          info.timeoutSeconds * 1000 * timeoutScale,
        ),
      );
    }
    if (info.heartbeatSeconds !== undefined) this.armHeartbeat(pending);

    const ctx: TaskContext = {
      ...(token ? { taskToken: token } : {}),
      stateName: info.name,
      executionArn: r.executionArn,
      executionName: r.name,
      attempt,
      signal: r.controller.signal,
    };
    const handler = this.options.handlers[info.name]!;
    Promise.resolve()
      .then(() => handler(jsonRoundTrip(handlerInput), ctx))
      .then(
        (result) => {
          if (!info.callback) {
            pending.settle({ ok: true, value: jsonRoundTrip(result) });
          } else if (!pending.settled && r.status === 'RUNNING') {
            append(r, 'TaskSubmitted', {
              taskSubmittedEventDetails: { ...base, output: JSON.stringify(lambdaInvokeOutput(jsonRoundTrip(result))) },
            });
          }
        },
        (error: unknown) => pending.settle({ ok: false, error: lambdaError(error) }),
      );
    return { pending, outcome };
  }

  private armHeartbeat(pending: PendingTask): void {
    pending.heartbeat?.cancel();
    const ms = pending.info.heartbeatSeconds! * 1000 * this.options.timeoutScale;
    pending.heartbeat = longTimeout(() => {
      pending.settle({ ok: false, error: namedError('States.HeartbeatTimeout', 'Task heartbeat timed out') });
    }, ms);
  }
}

/** Releases an ended execution's waiting tasks, so the library's own Task timers are cleared. */
export function releasePending(r: ExecutionRecord): void {
  for (const p of [...r.pending]) p.settle({ ok: false, error: namedError('States.Runtime', 'execution ended') });
}

/** The output of the optimised `lambda:invoke` integration without ResultSelector (CDK LambdaInvoke's default). */
export function lambdaInvokeOutput(payload: Json): Json {
  const requestId = randomUUID();
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      HttpHeaders: {
        'Content-Type': 'application/json',
        'X-Amz-Executed-Version': '$LATEST',
        'x-amzn-RequestId': requestId,
      },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

function namedError(name: string, cause: string): Error {
  const error = new Error(cause);
  error.name = name;
  return error;
}

/** What a Lambda's failure looks like to Step Functions: Error = errorType, Cause = the runtime's JSON. */
function lambdaError(thrown: unknown): Error {
  const name = thrown instanceof Error ? thrown.name || 'Error' : 'Error';
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return namedError(name, JSON.stringify({ errorType: name, errorMessage: message }));
}

function jsonRoundTrip(value: unknown): Json {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value));
}

function replaceToken(value: Json, token: string): Json {
  if (value === TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((v) => replaceToken(v, token));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceToken(v, token)]));
  }
  return value;
}
