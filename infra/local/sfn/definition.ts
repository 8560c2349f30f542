// The ASL definition, handled once per engine: validated, its Task states mapped (which wait for a token, which are
// lambda:invoke), checked against the handlers, and a running copy patched so that the engine, not the library,
// enforces Task / heartbeat / execution timeouts, and so that tests can shrink Retry intervals and Wait states.
import { validateDefinition } from './shim.js';
import type { Json, TaskHandler, TaskStateInfo } from './types.js';

/**
 * aws-local-stepfunctions arms its own per-attempt Task timer with `TimeoutSeconds` (default 60 s) and no chunking, so
 * we give it this ceiling (just under Node's 24.8-day timer limit) and enforce the real timeouts ourselves, firing a
 * little before it.
 */
const ENGINE_TASK_TIMEOUT_SECONDS = 2_147_000;
/**
 * Before the library's ceiling, a Task still waiting throws this error, which a retrier we prepend to every Task's
 * Retry (never shown, unlimited, no delay) matches: the library calls the Task again and we hand it the same
 * waiting task (same token, same deadlines). So a 30-day callback lasts 30 days. See runTask in tasks.ts.
 */
export const REARM_ERROR = 'Local.TaskTimerRearm';
export const DEFAULT_REARM_MS = (ENGINE_TASK_TIMEOUT_SECONDS - 3600) * 1000;

export interface PreparedDefinition {
  /** Every Task state (Parallel branches and Map iterators included), as the definition gave it. */
  tasks: Map<string, TaskStateInfo>;
  /** The copy the library runs (patched timeouts, rearm retrier, scaled retries). */
  running: Record<string, Json>;
  /** The machine's TimeoutSeconds, removed from the running copy: the engine enforces it (scaled, chunked). */
  executionTimeoutSeconds?: number;
  /** Wait state name → scaled milliseconds (only when waitScale ≠ 1). */
  waitTimeOverrides: Record<string, number>;
}

export interface DefinitionOptions {
  callbackStates?: string[];
  /**
   * The definition was validated already: the ASL cache of `npm start` stores only validated definitions
   * (infra/local/asl-cache.ts), so a start skips asl-validator's 60–200 ms (its schemas compiled at first use).
   */
  validated?: boolean;
  retryIntervalScale?: number;
  waitScale?: number;
}

/** Throws when the definition is invalid, a callback state is not a Task, or a Task and a handler do not match. */
export function prepareDefinition(
  definition: Record<string, Json>,
  handlers: Record<string, TaskHandler>,
  options: DefinitionOptions,
): PreparedDefinition {
  // Validate once (asl-validator costs 60–200 ms); the running copy below skips validation.
  if (!options.validated) validateDefinition(definition);

  const tasks = new Map<string, TaskStateInfo>();
  const waitTimeOverrides: Record<string, number> = {};
  const callbackNames = new Set(options.callbackStates ?? []);
  const running = structuredClone(definition) as Record<string, Json>;
  const retryScale = options.retryIntervalScale ?? 1;
  const waitScale = options.waitScale ?? 1;
  forEachState(running, (name, state) => {
    if (state.Type === 'Task') {
      tasks.set(name, classify(name, structuredClone(state), callbackNames));
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
      waitTimeOverrides[name] = state.Seconds * 1000 * waitScale;
    }
  });
  for (const name of callbackNames) {
    if (!tasks.has(name)) throw new Error(`callbackStates: "${name}" is not a Task state`);
  }
  const missing = [...tasks.keys()].filter((name) => typeof handlers[name] !== 'function');
  if (missing.length > 0) {
    // A Task without an override would be sent to real AWS Lambda by the library.
    throw new Error(`no task handler for Task state(s): ${missing.join(', ')}`);
  }
  const unknown = Object.keys(handlers).filter((name) => !tasks.has(name));
  if (unknown.length > 0) throw new Error(`task handlers for unknown Task state(s): ${unknown.join(', ')}`);

  let executionTimeoutSeconds: number | undefined;
  if (typeof running.TimeoutSeconds === 'number') {
    executionTimeoutSeconds = running.TimeoutSeconds;
    delete running.TimeoutSeconds; // enforced by us (scaled, no timer overflow)
  }
  return { tasks, running, executionTimeoutSeconds, waitTimeOverrides };
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
