// Local Step Functions engine: runs the ASL synthesized from the CDK stack with aws-local-stepfunctions and adds what
// that library lacks for our workflow: executions by name, task tokens (.waitForTaskToken) with SendTaskSuccess /
// SendTaskFailure / SendTaskHeartbeat, TimeoutSeconds / HeartbeatSeconds enforced by us (scaled for tests), an
// execution history in the AWS shape, stop / close. The JSON protocol in front of it is endpoint.ts.
//
// This file orchestrates executions (start, describe, list, stop, end, close). The rest is one module per concern:
// types.ts (types, payload limit), definition.ts (validation, Task mapping, the patched running copy), tasks.ts
// (handlers, tokens, task timeouts, Task* events), history.ts (AWS history shape, limit, paging), shim.ts (the only
// import of aws-local-stepfunctions and every reliance on its internals), timers.ts, errors.ts.
import { randomUUID } from 'node:crypto';
import { DEFAULT_REARM_MS, prepareDefinition } from './definition.js';
import { SfnServiceError } from './errors.js';
import {
  historyLimitFailure,
  paginate,
  pushEvent,
  recordExecutionEnded,
  recordExecutionStarted,
  recordLibraryEvent,
  stripExecutionData,
} from './history.js';
import { failureCause, LibraryMachine, prepareStatesTimeout, wasAborted } from './shim.js';
import { releasePending, TaskRunner, TOKEN_PLACEHOLDER } from './tasks.js';
import { longTimeout } from './timers.js';
import {
  type AppendEvent,
  type ExecutionDescription,
  type ExecutionListItem,
  type ExecutionRecord,
  type ExecutionStats,
  type ExecutionStatus,
  type HistoryEvent,
  type Json,
  type LocalStepFunctionsOptions,
  MAX_PAYLOAD_BYTES,
  overPayloadLimit,
  type StartExecutionInput,
  type TaskStateInfo,
} from './types.js';

export { MAX_HISTORY_EVENTS } from './history.js';
export { lambdaInvokeOutput } from './tasks.js';
export type {
  ExecutionDescription,
  ExecutionListItem,
  ExecutionStats,
  ExecutionStatus,
  HistoryEvent,
  LocalStepFunctionsOptions,
  StartExecutionInput,
  TaskContext,
  TaskHandler,
} from './types.js';
export { MAX_PAYLOAD_BYTES } from './types.js';

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

export class LocalStepFunctions {
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly creationDate: Date;
  readonly roleArn: string;
  /** The definition as given (what DescribeStateMachine returns). */
  readonly definition: Record<string, Json>;

  private readonly machine: LibraryMachine;
  private readonly tasks: Map<string, TaskStateInfo>;
  private readonly taskRunner: TaskRunner;
  private readonly timeoutScale: number;
  private readonly executionTimeoutSeconds?: number;
  private readonly waitTimeOverrides: Record<string, number>;
  private readonly clock: () => Date;
  private readonly onEvent?: LocalStepFunctionsOptions['onEvent'];
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly account: string;
  private closed = false;

  constructor(options: LocalStepFunctionsOptions) {
    const arn = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):stateMachine:([A-Za-z0-9_-]{1,80})$/.exec(
      options.stateMachineArn,
    );
    if (!arn) throw new Error(`invalid state machine ARN: ${options.stateMachineArn}`);
    this.account = arn[3]!;
    this.stateMachineArn = options.stateMachineArn;
    this.stateMachineName = options.stateMachineName;
    this.roleArn = options.roleArn ?? `arn:aws:iam::${this.account}:role/local-stepfunctions`;
    this.clock = options.clock ?? (() => new Date());
    this.creationDate = this.clock();
    this.onEvent = options.onEvent;
    this.timeoutScale = options.timeoutScale ?? 1;
    this.definition = structuredClone(options.definition) as Record<string, Json>;

    const handlers = { ...options.taskHandlers };
    const prepared = prepareDefinition(this.definition, handlers, options);
    this.tasks = prepared.tasks;
    this.executionTimeoutSeconds = prepared.executionTimeoutSeconds;
    this.waitTimeOverrides = prepared.waitTimeOverrides;
    this.taskRunner = new TaskRunner({
      handlers,
      timeoutScale: this.timeoutScale,
      rearmMs: Math.min(options.rearmIntervalMs ?? DEFAULT_REARM_MS, DEFAULT_REARM_MS),
      region: arn[2]!,
      append: this.append,
    });
    this.machine = new LibraryMachine(prepared.running);
    prepareStatesTimeout();
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
    this.taskRunner.sendTaskSuccess(taskToken, output);
  }

  sendTaskFailure(taskToken: string, params: { error?: string; cause?: string } = {}): void {
    this.taskRunner.sendTaskFailure(taskToken, params);
  }

  sendTaskHeartbeat(taskToken: string): void {
    this.taskRunner.sendTaskHeartbeat(taskToken);
  }

  /** Aborts every running execution, settles every waiting task and clears every timer. */
  async close(): Promise<void> {
    this.closed = true;
    const running = [...this.executions.values()].filter((r) => r.status === 'RUNNING');
    for (const r of running) this.end(r, 'ABORTED', { error: 'States.Runtime', cause: 'local engine closed' });
    await Promise.all([...this.executions.values()].map((r) => r.settled));
    for (const r of this.executions.values()) for (const t of r.timers) t.cancel();
    this.taskRunner.forgetTokens();
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
    if (overPayloadLimit(text)) {
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

  /** Every history event goes through here: the listener hears it, and the 25,000-event limit fails the execution. */
  private readonly append: AppendEvent = (r, type, details) => {
    const event = pushEvent(r, type, details, this.clock);
    if (!event) return;
    try {
      this.onEvent?.({ executionArn: r.executionArn, event });
    } catch {
      // a listener's failure must not break the execution
    }
    const failure = historyLimitFailure(r);
    if (failure) this.end(r, 'FAILED', failure);
  };

  private run(r: ExecutionRecord): void {
    const inputValue = JSON.parse(r.input);
    recordExecutionStarted(r, this.roleArn, this.append);
    const taskHandlers: Record<string, (input: Json) => Promise<Json>> = {};
    for (const info of this.tasks.values()) taskHandlers[info.name] = (input) => this.taskRunner.run(r, info, input);
    const run = this.machine.run(inputValue, {
      taskHandlers,
      waitTimeOverrides: this.waitTimeOverrides,
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
      for await (const event of run.events) recordLibraryEvent(r, event, this.append);
    })().catch(() => {});
    run.result.then(
      async (output) => {
        await consumed;
        if (r.status !== 'RUNNING') return;
        const text = JSON.stringify(output ?? null);
        if (overPayloadLimit(text)) {
          this.end(r, 'FAILED', { error: 'States.DataLimitExceeded', cause: 'The execution output is too large.' });
          return;
        }
        this.end(r, 'SUCCEEDED', { output: text });
      },
      async (error: unknown) => {
        await consumed;
        if (r.status !== 'RUNNING') return;
        if (wasAborted(error)) return; // end() has recorded why
        const cause = failureCause(error);
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
      recordExecutionEnded(r, status, result, this.append);
      r.resolveSettled();
    };
    // Release waiting tasks so the library's own Task timers are cleared; their events are not recorded any more.
    releasePending(r);
    // Let already dispatched state events land before the last event.
    setImmediate(finish);
  }
}
