// Types and AWS payload limit of the local Step Functions engine. The public ones are re-exported by engine.ts (what
// callers import); the internal ones are the records the engine's modules share (definition, tasks, history, engine).
import type { Cancellable } from './timers.js';

// biome-ignore lint/suspicious/noExplicitAny: handlers receive and return arbitrary JSON, as Lambdas do
export type Json = any;

/** AWS limit for input / output / task result strings. */
export const MAX_PAYLOAD_BYTES = 262_144;

export function overPayloadLimit(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES;
}

// ---- public ---------------------------------------------------------------------------------------------------

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
  /** The definition was validated already (the ASL cache's are): skip asl-validator. Default false. */
  validated?: boolean;
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

// ---- internal ---------------------------------------------------------------------------------------------------

/** A Task state as the definition gave it (before definition.ts patches the running copy). */
export interface TaskStateInfo {
  name: string;
  state: Record<string, Json>;
  callback: boolean;
  lambdaInvoke: boolean;
  resourceType: string;
  resource: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

export type Outcome = { ok: true; value: Json } | { ok: false; error: Error };

/** One attempt of a Task, waiting for its handler or its token. */
export interface PendingTask {
  token?: string;
  info: TaskStateInfo;
  execution: ExecutionRecord;
  settle: (outcome: Outcome) => void;
  heartbeat?: Cancellable;
  timers: Cancellable[];
  settled: boolean;
}

export interface ExecutionRecord {
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

/** Appends one event to an execution's history (engine.ts: limit, listener). */
export type AppendEvent = (r: ExecutionRecord, type: string, details?: Record<string, unknown>) => void;
