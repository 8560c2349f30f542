// Execution history in the AWS shape: ids from 1, previousEventId = id - 1, AWS event types and detail field names,
// the 25,000-event limit, GetExecutionHistory's includeExecutionData and paging. Task* events are appended by
// tasks.ts; the state events come from the library's event log (translated here); the Execution* events from
// engine.ts through the functions below.
import { SfnServiceError } from './errors.js';
import type { LibraryEvent } from './shim.js';
import type { AppendEvent, ExecutionRecord, ExecutionStatus, HistoryEvent } from './types.js';

/** AWS fails an execution whose history reaches 25,000 events. */
export const MAX_HISTORY_EVENTS = 25_000;

/** Adds one event (none past the limit); returns it, for the listener. */
export function pushEvent(
  r: ExecutionRecord,
  type: string,
  details: Record<string, unknown> | undefined,
  clock: () => Date,
): HistoryEvent | undefined {
  if (r.history.length >= MAX_HISTORY_EVENTS) return undefined;
  const id = r.history.length + 1;
  const event: HistoryEvent = { timestamp: clock(), type, id, previousEventId: id - 1, ...details };
  r.history.push(event);
  return event;
}

/** When a running execution must fail for its history's length, the failure to end it with; else undefined. */
export function historyLimitFailure(r: ExecutionRecord): { error: string; cause: string } | undefined {
  if (r.history.length < MAX_HISTORY_EVENTS - 1 || r.status !== 'RUNNING') return undefined;
  return {
    error: 'States.Runtime',
    cause: `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`,
  };
}

export function recordExecutionStarted(r: ExecutionRecord, roleArn: string, append: AppendEvent): void {
  append(r, 'ExecutionStarted', {
    executionStartedEventDetails: { input: r.input, inputDetails: { truncated: false }, roleArn },
  });
}

export function recordExecutionEnded(
  r: ExecutionRecord,
  status: Exclude<ExecutionStatus, 'RUNNING'>,
  result: { output?: string; error?: string; cause?: string },
  append: AppendEvent,
): void {
  const details = { error: result.error, cause: result.cause };
  if (status === 'SUCCEEDED') {
    append(r, 'ExecutionSucceeded', {
      executionSucceededEventDetails: { output: result.output, outputDetails: { truncated: false } },
    });
  } else if (status === 'FAILED') append(r, 'ExecutionFailed', { executionFailedEventDetails: details });
  else if (status === 'TIMED_OUT') append(r, 'ExecutionTimedOut', { executionTimedOutEventDetails: details });
  else append(r, 'ExecutionAborted', { executionAbortedEventDetails: details });
}

/** Translates one event of the library's log into the AWS history (and counts state transitions). */
export function recordLibraryEvent(r: ExecutionRecord, event: LibraryEvent, append: AppendEvent): void {
  if (r.status !== 'RUNNING') return;
  const state = event.state;
  switch (event.type) {
    case 'StateEntered':
      r.stats.stateTransitions++;
      r.attempts.delete(state!.name); // a new entry, not a retry: attempts count from 0 again
      append(r, `${state!.type}StateEntered`, {
        stateEnteredEventDetails: { name: state!.name, input: JSON.stringify(state!.input ?? null) },
      });
      break;
    case 'StateExited':
      append(r, `${state!.type}StateExited`, {
        stateExitedEventDetails: { name: state!.name, output: JSON.stringify(state!.output ?? null) },
      });
      break;
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed': {
      const key = `${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails`;
      append(r, event.type, { [key]: { name: event.parentState?.name, index: event.index } });
      break;
    }
    case 'ParallelBranchStarted':
    case 'ParallelBranchSucceeded':
    case 'ParallelBranchFailed':
      // AWS records ParallelStateStarted/Succeeded/Failed once per state, not per branch.
      break;
    default:
      // StateFailed / StateRetried / StateCaught: AWS shows TaskFailed then a new TaskScheduled or the next state;
      // Execution* events: recorded by the engine when it ends the execution.
      break;
  }
}

/** GetExecutionHistory with includeExecutionData = false: the details lose input, output and parameters. */
export function stripExecutionData(event: HistoryEvent): HistoryEvent {
  const copy: HistoryEvent = { ...event };
  for (const [key, value] of Object.entries(copy)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object') {
      const { input: _i, output: _o, parameters: _p, ...rest } = value as Record<string, unknown>;
      copy[key] = rest;
    }
  }
  return copy;
}

/** Pages GetExecutionHistory and ListExecutions: 100 by default, at most 1000; `nextToken` is an opaque offset. */
export function paginate<T>(items: T[], maxResults?: number, nextToken?: string): { page: T[]; nextToken?: string } {
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
