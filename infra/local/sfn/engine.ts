// Local Step Functions engine: runs the ASL synthesized from the CDK stack with aws-local-stepfunctions and adds what
// that library lacks for our workflow: executions by name, task tokens (.waitForTaskToken) with SendTaskSuccess /
// SendTaskFailure / SendTaskHeartbeat, TimeoutSeconds / HeartbeatSeconds enforced by us (scaled for tests), an
// execution history in the AWS shape, stop / close. The JSON protocol in front of it is endpoint.ts.
import '../../../shared/runtime/polyfills.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { ExecutionAbortedError, ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { SfnServiceError } from './errors.js';
import { type Cancellable, longTimeout } from './timers.js';

// biome-ignore lint/suspicious/noExplicitAny: handlers receive and return arbitrary JSON, as Lambdas do
type Json = any;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface TaskContext {
  /** Set for callback tasks: the token to hand back with SendTaskSuccess / SendTaskFailure. */
  taskToken?: string;
  stateName: string;
  executionArn: string;
  executionName: string;
  /** 0 on the first attempt, then 1, 2… on retries. */
  attempt: number;
  /** Aborted when the execution stops, times out or the engine closes. */
  signal: AbortSignal;
}

export type TaskHandler = (input: Json, ctx: TaskContext) => Promise<Json>;

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  [details: string]: unknown;
}

export interface LocalStepFunctionsOptions {
  definition: object;
  stateMachineArn: string;
  stateMachineName: string;
  /** One handler per Task state name, including Tasks inside Parallel branches and Map iterators. */
  taskHandlers: Record<string, TaskHandler>;
  /** Tasks that wait for a task token; those with a `.waitForTaskToken` resource are always included. */
  callbackStates?: string[];
  /** Multiplies TimeoutSeconds, HeartbeatSeconds and the machine's TimeoutSeconds (tests: 0.001 → ms). Default 1. */
  timeoutScale?: number;
  /** Multiplies Retry IntervalSeconds and MaxDelaySeconds (backoff kept). Default 1. */
  retryIntervalScale?: number;
  /** Multiplies Wait states' `Seconds`. Default 1. */
  waitScale?: number;
  clock?: () => Date;
  roleArn?: string;
  onEvent?: (event: { executionArn: string; event: HistoryEvent }) => void;
  /** Tests only: how often a long wait renews the library's per-attempt timer (default ~24.8 days). */
  rearmIntervalMs?: number;
}

export interface StartExecutionInput {
  name?: string;
  /** A JSON string (as the API takes it) or a value. Default `{}`. */
  input?: string | Json;
}

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
}

export interface ExecutionStats {
  /** States entered (one per transition, retries not counted), including nested Parallel / Map states. */
  stateTransitions: number;
  /** Handler calls, retries included. */
  taskInvocations: number;
  historyEvents: number;
}

/** AWS fails an execution whose history reaches 25,000 events. */
export const MAX_HISTORY_EVENTS = 25_000;
/** AWS limit for input / output / task result strings. */
export const MAX_PAYLOAD_BYTES = 262_144;
/**
 * aws-local-stepfunctions arms its own per-attempt Task timer with `TimeoutSeconds` (default 60 s) and no chunking, so
 * we give it this ceiling (just under Node's 24.8-day timer limit) and enforce the real timeouts ourselves, firing a
 * little before it.
 */
const ENGINE_TASK_TIMEOUT_SECONDS = 2_147_000;
/**
 * Before the library's ceiling, a Task still waiting throws this error, which a retrier we prepend to every Task's
 * Retry (never shown, unlimited, no delay) matches: the library calls the Task again and we hand it the same
 * waiting task (same token, same deadlines). So a 30-day callback lasts 30 days.
 */
const REARM_ERROR = 'Local.TaskTimerRearm';
const DEFAULT_REARM_MS = (ENGINE_TASK_TIMEOUT_SECONDS - 3600) * 1000;
/** Stands for `$$.Task.Token` in the Context Object: the library has one Context per run, so each task attempt swaps it. */
const TOKEN_PLACEHOLDER = '$$local-sfn.task-token$$';
const TOKEN_PATTERN = /^[A-Za-z0-9+/=_.-]{16,1024}$/;
const NAME_FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

/** AWS execution names: 1–80 characters, no whitespace, brackets, wildcards, punctuation or control characters. */
function validName(name: string): boolean {
  if (name.length < 1 || name.length > 80 || NAME_FORBIDDEN.test(name)) return false;
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return false;
  }
  return true;
}

interface TaskStateInfo {
  name: string;
  state: Record<string, Json>;
  callback: boolean;
  lambdaInvoke: boolean;
  resourceType: string;
  resource: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

interface PendingTask {
  token?: string;
  info: TaskStateInfo;
  execution: ExecutionRecord;
  settle: (outcome: { ok: true; value: Json } | { ok: false; error: Error }) => void;
  heartbeat?: Cancellable;
  timers: Cancellable[];
  settled: boolean;
}

interface ExecutionRecord {
  executionArn: string;
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  history: HistoryEvent[];
  stats: { stateTransitions: number; taskInvocations: number };
  controller: AbortController;
  abortRun?: () => void;
  timers: Set<Cancellable>;
  pending: Set<PendingTask>;
  attempts: Map<string, number>;
  /** Tasks still waiting when the library's timer had to be renewed, by state name and input. */
  continuations: Map<string, { pending: PendingTask; outcome: Promise<Outcome> }>;
  settled: Promise<void>;
  resolveSettled: () => void;
}

type Outcome = { ok: true; value: Json } | { ok: false; error: Error };

/** The library's StatesTimeoutError class is not exported; `States.TaskFailed` must not match our timeouts, so we
 * build ours from the same class, captured once from a 1 ms probe run. */
let statesTimeoutErrorPrototype: Promise<object | null> | undefined;
function probeStatesTimeoutError(): Promise<object | null> {
  statesTimeoutErrorPrototype ??= (async () => {
    const probe = new StateMachine(
      {
        StartAt: 'Probe',
        States: {
          Probe: { Type: 'Task', Resource: 'arn:aws:lambda:eu-west-3:000000000000:function:probe', End: true },
        },
      },
      { validationOptions: { noValidate: true } },
    );
    // 0.001 s is not valid ASL (validation is off): the library's timer fires after 1 ms.
    (
      probe as unknown as { definition: { States: { Probe: { TimeoutSeconds: number } } } }
    ).definition.States.Probe.TimeoutSeconds = 0.001;
    let release: () => void = () => {};
    const run = probe.run(
      {},
      {
        overrides: {
          taskResourceLocalHandlers: {
            Probe: () =>
              new Promise((resolve) => {
                release = () => resolve(null);
              }),
          },
        },
      },
    );
    try {
      await run.result;
      return null;
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      return cause instanceof Error && cause.name === 'States.Timeout' ? Object.getPrototypeOf(cause) : null;
    } finally {
      release();
    }
  })();
  return statesTimeoutErrorPrototype;
}

async function statesTimeout(message: string): Promise<Error> {
  const proto = await probeStatesTimeoutError();
  const error = proto ? (Object.create(proto) as Error) : new Error();
  Object.assign(error, { name: 'States.Timeout', message, retryable: true, catchable: true });
  if (!proto) error.name = 'States.Timeout';
  return error;
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

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

type StateVisitor = (name: string, state: Record<string, Json>) => void;

function forEachState(machine: Record<string, Json>, visit: StateVisitor): void {
  const states = (machine.States ?? {}) as Record<string, Record<string, Json>>;
  for (const [name, state] of Object.entries(states)) {
    visit(name, state);
    if (state.Type === 'Parallel') for (const branch of state.Branches ?? []) forEachState(branch, visit);
    if (state.Type === 'Map') {
      const inner = state.ItemProcessor ?? state.Iterator;
      if (inner) forEachState(inner, visit);
    }
  }
}

function classify(name: string, state: Record<string, Json>, callbackNames: Set<string>): TaskStateInfo {
  const arn = String(state.Resource ?? '');
  const integration = /^arn:aws[a-z-]*:states:::([^:]+):(.+)$/.exec(arn);
  const callback = arn.endsWith('.waitForTaskToken') || callbackNames.has(name);
  const resourceType = integration ? integration[1]! : 'lambda';
  const resource = integration ? integration[2]! : arn;
  return {
    name,
    state,
    callback,
    lambdaInvoke: resourceType === 'lambda' && /^invoke(\.waitForTaskToken)?$/.test(resource),
    resourceType,
    resource,
    timeoutSeconds: typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined,
    heartbeatSeconds: typeof state.HeartbeatSeconds === 'number' ? state.HeartbeatSeconds : undefined,
  };
}

export class LocalStepFunctions {
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly creationDate: Date;
  readonly roleArn: string;
  /** The definition as given (what DescribeStateMachine returns). */
  readonly definition: Record<string, Json>;

  private readonly machine: StateMachine;
  private readonly tasks = new Map<string, TaskStateInfo>();
  private readonly handlers: Record<string, TaskHandler>;
  private readonly timeoutScale: number;
  private readonly rearmMs: number;
  private readonly executionTimeoutSeconds?: number;
  private readonly waitTimeOverrides: Record<string, number> = {};
  private readonly clock: () => Date;
  private readonly onEvent?: LocalStepFunctionsOptions['onEvent'];
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly tokens = new Map<string, PendingTask>();
  private readonly region: string;
  private readonly account: string;
  private closed = false;

  constructor(options: LocalStepFunctionsOptions) {
    const arn = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):stateMachine:([A-Za-z0-9_-]{1,80})$/.exec(
      options.stateMachineArn,
    );
    if (!arn) throw new Error(`invalid state machine ARN: ${options.stateMachineArn}`);
    this.region = arn[2]!;
    this.account = arn[3]!;
    this.stateMachineArn = options.stateMachineArn;
    this.stateMachineName = options.stateMachineName;
    this.roleArn = options.roleArn ?? `arn:aws:iam::${this.account}:role/local-stepfunctions`;
    this.clock = options.clock ?? (() => new Date());
    this.creationDate = this.clock();
    this.onEvent = options.onEvent;
    this.timeoutScale = options.timeoutScale ?? 1;
    this.rearmMs = Math.min(options.rearmIntervalMs ?? DEFAULT_REARM_MS, DEFAULT_REARM_MS);
    this.handlers = { ...options.taskHandlers };
    this.definition = structuredClone(options.definition) as Record<string, Json>;

    // Validate once (asl-validator costs 60–200 ms); the running copy below skips validation.
    new StateMachine(structuredClone(this.definition) as never);

    const callbackNames = new Set(options.callbackStates ?? []);
    const running = structuredClone(this.definition) as Record<string, Json>;
    const retryScale = options.retryIntervalScale ?? 1;
    const waitScale = options.waitScale ?? 1;
    forEachState(running, (name, state) => {
      if (state.Type === 'Task') {
        this.tasks.set(name, classify(name, structuredClone(state), callbackNames));
        // Our wrapper enforces the real timeouts; the library only gets a harmless ceiling.
        state.TimeoutSeconds = ENGINE_TASK_TIMEOUT_SECONDS;
        delete state.TimeoutSecondsPath;
        delete state.HeartbeatSeconds;
        delete state.HeartbeatSecondsPath;
      }
      if (Array.isArray(state.Retry) && retryScale !== 1) {
        for (const retrier of state.Retry as Record<string, Json>[]) {
          retrier.IntervalSeconds = (retrier.IntervalSeconds ?? 1) * retryScale;
          if (typeof retrier.MaxDelaySeconds === 'number') retrier.MaxDelaySeconds *= retryScale;
        }
      }
      if (state.Type === 'Task') {
        const rearm = { ErrorEquals: [REARM_ERROR], IntervalSeconds: 0, MaxAttempts: 2 ** 31 - 1, BackoffRate: 1 };
        state.Retry = [rearm, ...((state.Retry as Json[]) ?? [])];
      }
      if (state.Type === 'Wait' && typeof state.Seconds === 'number' && waitScale !== 1) {
        this.waitTimeOverrides[name] = state.Seconds * 1000 * waitScale;
      }
    });
    for (const name of callbackNames) {
      if (!this.tasks.has(name)) throw new Error(`callbackStates: "${name}" is not a Task state`);
    }
    const missing = [...this.tasks.keys()].filter((name) => typeof this.handlers[name] !== 'function');
    if (missing.length > 0) {
      // A Task without an override would be sent to real AWS Lambda by the library.
      throw new Error(`no task handler for Task state(s): ${missing.join(', ')}`);
    }
    const unknown = Object.keys(this.handlers).filter((name) => !this.tasks.has(name));
    if (unknown.length > 0) throw new Error(`task handlers for unknown Task state(s): ${unknown.join(', ')}`);

    if (typeof running.TimeoutSeconds === 'number') {
      this.executionTimeoutSeconds = running.TimeoutSeconds;
      delete running.TimeoutSeconds; // enforced by us (scaled, no timer overflow)
    }
    this.machine = new StateMachine(running as never, { validationOptions: { noValidate: true } });
    void probeStatesTimeoutError();
  }

  /** Task state names and whether each waits for a token (for wiring and tests). */
  taskStates(): { name: string; callback: boolean; resource: string }[] {
    return [...this.tasks.values()].map((t) => ({
      name: t.name,
      callback: t.callback,
      resource: String(t.state.Resource),
    }));
  }

  async startExecution(params: StartExecutionInput = {}): Promise<{ executionArn: string; startDate: Date }> {
    if (this.closed) throw new SfnServiceError('InternalFailure', 'the local Step Functions engine is closed', 500);
    const name = params.name ?? randomUUID();
    if (!validName(name)) throw new SfnServiceError('InvalidName', `Invalid Name: '${name}'`);
    const inputText = this.normaliseInput(params.input);
    const executionArn = this.executionArnFor(name);
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === inputText) {
        return { executionArn, startDate: existing.startDate };
      }
      throw new SfnServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record = this.createRecord(executionArn, name, inputText);
    this.executions.set(executionArn, record);
    this.run(record);
    return { executionArn, startDate: record.startDate };
  }

  describeExecution(executionArn: string): ExecutionDescription {
    const r = this.getRecord(executionArn);
    return {
      executionArn: r.executionArn,
      stateMachineArn: this.stateMachineArn,
      name: r.name,
      status: r.status,
      startDate: r.startDate,
      ...(r.stopDate ? { stopDate: r.stopDate } : {}),
      input: r.input,
      ...(r.output !== undefined ? { output: r.output } : {}),
      ...(r.error !== undefined ? { error: r.error } : {}),
      ...(r.cause !== undefined ? { cause: r.cause } : {}),
    };
  }

  /** Newest first, as AWS lists them. `nextToken` is an opaque offset. */
  listExecutions(params: { statusFilter?: ExecutionStatus; maxResults?: number; nextToken?: string } = {}): {
    executions: ExecutionListItem[];
    nextToken?: string;
  } {
    const all = [...this.executions.values()]
      .filter((r) => !params.statusFilter || r.status === params.statusFilter)
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
    const { page, nextToken } = paginate(all, params.maxResults, params.nextToken);
    return {
      executions: page.map((r) => ({
        executionArn: r.executionArn,
        stateMachineArn: this.stateMachineArn,
        name: r.name,
        status: r.status,
        startDate: r.startDate,
        ...(r.stopDate ? { stopDate: r.stopDate } : {}),
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  getExecutionHistory(
    executionArn: string,
    params: { maxResults?: number; nextToken?: string; reverseOrder?: boolean; includeExecutionData?: boolean } = {},
  ): { events: HistoryEvent[]; nextToken?: string } {
    const r = this.getRecord(executionArn);
    let events = params.reverseOrder ? [...r.history].reverse() : [...r.history];
    if (params.includeExecutionData === false) events = events.map(stripExecutionData);
    const { page, nextToken } = paginate(events, params.maxResults, params.nextToken);
    return { events: page, ...(nextToken ? { nextToken } : {}) };
  }

  executionStats(executionArn: string): ExecutionStats {
    const r = this.getRecord(executionArn);
    return { ...r.stats, historyEvents: r.history.length };
  }

  async stopExecution(
    executionArn: string,
    params: { error?: string; cause?: string } = {},
  ): Promise<{ stopDate: Date }> {
    const r = this.getRecord(executionArn);
    if (r.status === 'RUNNING') {
      this.end(r, 'ABORTED', { error: params.error, cause: params.cause });
      await r.settled;
    }
    return { stopDate: r.stopDate ?? this.clock() };
  }

  sendTaskSuccess(taskToken: string, output: string | Json): void {
    const pending = this.pendingFor(taskToken);
    let value: Json;
    if (typeof output === 'string') {
      if (byteLength(output) > MAX_PAYLOAD_BYTES)
        throw new SfnServiceError('ValidationException', 'output is too large');
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

  /** Aborts every running execution, settles every waiting task and clears every timer. */
  async close(): Promise<void> {
    this.closed = true;
    const running = [...this.executions.values()].filter((r) => r.status === 'RUNNING');
    for (const r of running) this.end(r, 'ABORTED', { error: 'States.Runtime', cause: 'local engine closed' });
    await Promise.all([...this.executions.values()].map((r) => r.settled));
    for (const r of this.executions.values()) for (const t of r.timers) t.cancel();
    this.tokens.clear();
  }

  // ---- internals -------------------------------------------------------------------------------------------------

  private executionArnFor(name: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  private normaliseInput(input: unknown): string {
    if (input === undefined || input === null) return '{}';
    let text: string;
    if (typeof input === 'string') {
      try {
        JSON.parse(input);
      } catch {
        throw new SfnServiceError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not valid JSON');
      }
      text = input;
    } else {
      text = JSON.stringify(input);
    }
    if (byteLength(text) > MAX_PAYLOAD_BYTES) {
      throw new SfnServiceError('ValidationException', `input must be at most ${MAX_PAYLOAD_BYTES} bytes`);
    }
    return text;
  }

  private getRecord(executionArn: string): ExecutionRecord {
    if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:(execution|express):[^:]+:[^:]+$/.test(executionArn)) {
      throw new SfnServiceError('InvalidArn', `Invalid Arn: '${executionArn}'`);
    }
    const r = this.executions.get(executionArn);
    if (!r) throw new SfnServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return r;
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

  private createRecord(executionArn: string, name: string, input: string): ExecutionRecord {
    let resolveSettled: () => void = () => {};
    const settled = new Promise<void>((resolve) => {
      resolveSettled = resolve;
    });
    const record: ExecutionRecord = {
      executionArn,
      name,
      input,
      status: 'RUNNING',
      startDate: this.clock(),
      history: [],
      stats: { stateTransitions: 0, taskInvocations: 0 },
      controller: new AbortController(),
      timers: new Set(),
      pending: new Set(),
      attempts: new Map(),
      continuations: new Map(),
      settled,
      resolveSettled,
    };
    return record;
  }

  private append(r: ExecutionRecord, type: string, details?: Record<string, unknown>): void {
    if (r.history.length >= MAX_HISTORY_EVENTS) return;
    const id = r.history.length + 1;
    const event: HistoryEvent = { timestamp: this.clock(), type, id, previousEventId: id - 1, ...details };
    r.history.push(event);
    try {
      this.onEvent?.({ executionArn: r.executionArn, event });
    } catch {
      // a listener's failure must not break the execution
    }
    if (r.history.length >= MAX_HISTORY_EVENTS - 1 && r.status === 'RUNNING') {
      this.end(r, 'FAILED', {
        error: 'States.Runtime',
        cause: `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`,
      });
    }
  }

  private run(r: ExecutionRecord): void {
    const inputValue = JSON.parse(r.input);
    this.append(r, 'ExecutionStarted', {
      executionStartedEventDetails: { input: r.input, inputDetails: { truncated: false }, roleArn: this.roleArn },
    });
    const overrides: Record<string, (input: Json) => Promise<Json>> = {};
    for (const info of this.tasks.values()) overrides[info.name] = (input) => this.runTask(r, info, input);
    const run = this.machine.run(inputValue, {
      overrides: { taskResourceLocalHandlers: overrides, waitTimeOverrides: this.waitTimeOverrides },
      context: {
        Execution: { Id: r.executionArn, Name: r.name, RoleArn: this.roleArn, RedriveCount: 0 },
        StateMachine: { Id: this.stateMachineArn, Name: this.stateMachineName },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
    });
    r.abortRun = run.abort;
    if (this.executionTimeoutSeconds !== undefined) {
      const timer = longTimeout(
        () => {
          if (r.status === 'RUNNING')
            this.end(r, 'TIMED_OUT', { error: 'States.Timeout', cause: 'Execution timed out' });
        },
        this.executionTimeoutSeconds * 1000 * this.timeoutScale,
      );
      r.timers.add(timer);
    }
    const consumed = (async () => {
      for await (const event of run.eventLogs) this.recordEngineEvent(r, event as unknown as Record<string, Json>);
    })().catch(() => {});
    run.result.then(
      async (output) => {
        await consumed;
        if (r.status !== 'RUNNING') return;
        const text = JSON.stringify(output ?? null);
        if (byteLength(text) > MAX_PAYLOAD_BYTES) {
          this.end(r, 'FAILED', { error: 'States.DataLimitExceeded', cause: 'The execution output is too large.' });
          return;
        }
        this.end(r, 'SUCCEEDED', { output: text });
      },
      async (error: unknown) => {
        await consumed;
        if (r.status !== 'RUNNING') return;
        if (error instanceof ExecutionAbortedError) return;
        const cause = error instanceof ExecutionError ? (error.cause as Error | undefined) : (error as Error);
        this.end(r, 'FAILED', {
          error: cause?.name ?? 'States.Runtime',
          cause: cause?.message ?? String(error),
        });
      },
    );
  }

  /** Ends an execution once: status, stop date, last history event, waiting tasks released, timers cleared. */
  private end(
    r: ExecutionRecord,
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    result: { output?: string; error?: string; cause?: string },
  ): void {
    if (r.status !== 'RUNNING') return;
    r.status = status;
    r.stopDate = this.clock();
    if (result.output !== undefined) r.output = result.output;
    if (result.error !== undefined) r.error = result.error;
    if (result.cause !== undefined) r.cause = result.cause;
    for (const t of r.timers) t.cancel();
    r.timers.clear();
    if (status !== 'SUCCEEDED') {
      r.controller.abort();
      r.abortRun?.();
    }
    const finish = () => {
      const details = { error: result.error, cause: result.cause };
      if (status === 'SUCCEEDED') {
        this.append(r, 'ExecutionSucceeded', {
          executionSucceededEventDetails: { output: result.output, outputDetails: { truncated: false } },
        });
      } else if (status === 'FAILED') this.append(r, 'ExecutionFailed', { executionFailedEventDetails: details });
      else if (status === 'TIMED_OUT') this.append(r, 'ExecutionTimedOut', { executionTimedOutEventDetails: details });
      else this.append(r, 'ExecutionAborted', { executionAbortedEventDetails: details });
      r.resolveSettled();
    };
    // Release waiting tasks so the library's own Task timers are cleared; their events are not recorded any more.
    for (const p of [...r.pending]) p.settle({ ok: false, error: namedError('States.Runtime', 'execution ended') });
    // Let already dispatched state events land before the last event.
    setImmediate(finish);
  }

  private recordEngineEvent(r: ExecutionRecord, event: Record<string, Json>): void {
    if (r.status !== 'RUNNING') return;
    const state = event.state as { name: string; type: string; input?: Json; output?: Json } | undefined;
    switch (event.type) {
      case 'StateEntered':
        r.stats.stateTransitions++;
        r.attempts.delete(state!.name); // a new entry, not a retry: attempts count from 0 again
        this.append(r, `${state!.type}StateEntered`, {
          stateEnteredEventDetails: { name: state!.name, input: JSON.stringify(state!.input ?? null) },
        });
        break;
      case 'StateExited':
        this.append(r, `${state!.type}StateExited`, {
          stateExitedEventDetails: { name: state!.name, output: JSON.stringify(state!.output ?? null) },
        });
        break;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const key = `${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails`;
        this.append(r, event.type, { [key]: { name: event.parentState?.name, index: event.index } });
        break;
      }
      case 'ParallelBranchStarted':
      case 'ParallelBranchSucceeded':
      case 'ParallelBranchFailed':
        // AWS records ParallelStateStarted/Succeeded/Failed once per state, not per branch.
        break;
      default:
        // StateFailed / StateRetried / StateCaught: AWS shows TaskFailed then a new TaskScheduled or the next state;
        // Execution* events: recorded by end().
        break;
    }
  }

  private async runTask(r: ExecutionRecord, info: TaskStateInfo, engineInput: Json): Promise<Json> {
    if (r.status !== 'RUNNING') throw namedError('States.Runtime', 'execution ended');
    const key = `${info.name}\u0000${JSON.stringify(engineInput)}`;
    let live = r.continuations.get(key);
    if (live) {
      r.continuations.delete(key); // the library renewed its timer: keep waiting on the same task
    } else {
      // Let the StateEntered event reach the history before TaskScheduled (the library's event log is asynchronous).
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (r.status !== 'RUNNING') throw namedError('States.Runtime', 'execution ended');
      live = this.startTask(r, info, engineInput);
    }

    let rearmTimer: NodeJS.Timeout | undefined;
    const rearm = new Promise<'rearm'>((resolve) => {
      rearmTimer = setTimeout(() => resolve('rearm'), this.rearmMs);
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
        this.append(r, 'TaskSucceeded', { taskSucceededEventDetails: { ...base, output: JSON.stringify(output) } });
      }
      return output;
    }
    const error = o.error;
    if (r.status === 'RUNNING') {
      const details = { ...base, error: error.name, cause: error.message };
      if (error.name === 'States.Timeout' || error.name === 'States.HeartbeatTimeout') {
        this.append(r, 'TaskTimedOut', { taskTimedOutEventDetails: details });
      } else {
        this.append(r, 'TaskFailed', { taskFailedEventDetails: details });
      }
    }
    throw error;
  }

  /** Schedules one attempt: token, timers, handler call. The outcome comes from the handler or the token. */
  private startTask(
    r: ExecutionRecord,
    info: TaskStateInfo,
    engineInput: Json,
  ): { pending: PendingTask; outcome: Promise<Outcome> } {
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

    this.append(r, 'TaskScheduled', {
      taskScheduledEventDetails: {
        ...base,
        region: this.region,
        parameters: JSON.stringify(parameters),
        ...(info.timeoutSeconds !== undefined ? { timeoutInSeconds: info.timeoutSeconds } : {}),
        ...(info.heartbeatSeconds !== undefined ? { heartbeatInSeconds: info.heartbeatSeconds } : {}),
      },
    });
    this.append(r, 'TaskStarted', { taskStartedEventDetails: base });

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
          info.timeoutSeconds * 1000 * this.timeoutScale,
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
    const handler = this.handlers[info.name]!;
    Promise.resolve()
      .then(() => handler(jsonRoundTrip(handlerInput), ctx))
      .then(
        (result) => {
          if (!info.callback) {
            pending.settle({ ok: true, value: jsonRoundTrip(result) });
          } else if (!pending.settled && r.status === 'RUNNING') {
            this.append(r, 'TaskSubmitted', {
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
    const ms = pending.info.heartbeatSeconds! * 1000 * this.timeoutScale;
    pending.heartbeat = longTimeout(() => {
      pending.settle({ ok: false, error: namedError('States.HeartbeatTimeout', 'Task heartbeat timed out') });
    }, ms);
  }
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

function paginate<T>(items: T[], maxResults?: number, nextToken?: string): { page: T[]; nextToken?: string } {
  const size = maxResults && maxResults > 0 ? Math.min(maxResults, 1000) : 100;
  let start = 0;
  if (nextToken !== undefined) {
    start = Number.parseInt(Buffer.from(nextToken, 'base64url').toString('utf8'), 10);
    if (!Number.isInteger(start) || start < 0) throw new SfnServiceError('ValidationException', 'Invalid nextToken');
  }
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { page, ...(next ? { nextToken: next } : {}) };
}

function stripExecutionData(event: HistoryEvent): HistoryEvent {
  const copy: HistoryEvent = { ...event };
  for (const [key, value] of Object.entries(copy)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object') {
      const { input: _i, output: _o, parameters: _p, ...rest } = value as Record<string, unknown>;
      copy[key] = rest;
    }
  }
  return copy;
}
