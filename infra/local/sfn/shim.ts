// The only file that imports aws-local-stepfunctions. Everything the engine needs from the library goes through the
// small typed surface below, so a library upgrade is checked here (and by test/unit/sfn/shim.test.ts) alone.
//
// Written for aws-local-stepfunctions 3.0.0, pinned exactly in package.json because this file relies on shapes the
// library does not promise:
//   private  - `StateMachine#definition`: the probe below edits its parsed copy to get a TimeoutSeconds of 1 ms.
//   private  - the class of the library's `States.Timeout` error (StatesTimeoutError) is not exported; its Retry /
//              Catch code tests `instanceof` it so that `States.TaskFailed` does not match a timeout. We capture its
//              prototype from the probe run and build our task timeouts from it (statesTimeout).
//   internal - an `ExecutionError` carries the state's error in `cause` (name = Step Functions error, message = Cause).
//   internal - the `eventLogs` events read by history.ts: `type`, `state { name, type, input, output }`,
//              `parentState.name`, `index` (LibraryEvent below).
//   behaviour - each Task attempt gets a library timer of `TimeoutSeconds` (default 60 s, one setTimeout, no
//              chunking): definition.ts replaces it with a ceiling and tasks.ts renews it (Local.TaskTimerRearm).
//   behaviour - one Context Object per run, so `$$.Task.Token` is a placeholder that tasks.ts swaps per attempt.
//   behaviour - it calls Promise.withResolvers (Node 22+), hence the polyfill import.
import '../../../shared/runtime/polyfills.js';
import { ExecutionAbortedError, ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import type { Json } from './types.js';

/** The version this shim was written against; package.json pins the same one, and a unit test compares both. */
export const LIBRARY_VERSION = '3.0.0';

/** One entry of the library's event log, as far as the history reads it. */
export interface LibraryEvent {
  type: string;
  state?: { name: string; type: string; input?: Json; output?: Json };
  parentState?: { name: string };
  index?: number;
}

export interface LibraryRunOptions {
  /** One local function per Task state name: the library then never calls AWS. */
  taskHandlers: Record<string, (input: Json) => Promise<Json>>;
  /** Wait state name → milliseconds. */
  waitTimeOverrides: Record<string, number>;
  /** The Context Object (`$$`) of the run. */
  context: Record<string, Json>;
}

export interface LibraryRun {
  result: Promise<Json>;
  events: AsyncIterable<LibraryEvent>;
  abort: () => void;
}

/** Validates an ASL definition with the library's validator (asl-validator, 60–200 ms); throws when invalid. */
export function validateDefinition(definition: object): void {
  new StateMachine(structuredClone(definition) as never);
}

/** A definition compiled once, without validation (validateDefinition did it), and run once per execution. */
export class LibraryMachine {
  private readonly machine: StateMachine;

  constructor(definition: object) {
    this.machine = new StateMachine(definition as never, { validationOptions: { noValidate: true } });
  }

  run(input: Json, options: LibraryRunOptions): LibraryRun {
    const run = this.machine.run(input, {
      overrides: { taskResourceLocalHandlers: options.taskHandlers, waitTimeOverrides: options.waitTimeOverrides },
      context: options.context,
    });
    return { result: run.result, events: run.eventLogs as AsyncIterable<LibraryEvent>, abort: run.abort };
  }
}

/** Whether a run's rejection is the abort the engine asked for (LibraryRun.abort). */
export function wasAborted(error: unknown): boolean {
  return error instanceof ExecutionAbortedError;
}

/** The error that failed a run, as the state raised it (name = Step Functions error, message = Cause). */
export function failureCause(error: unknown): Error | undefined {
  return error instanceof ExecutionError ? (error.cause as Error | undefined) : (error as Error);
}

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

/** Starts the probe early (at engine construction), so the first task timeout does not wait for it. */
export function prepareStatesTimeout(): void {
  void probeStatesTimeoutError();
}

/** A `States.Timeout` error the library's Retry / Catch treat as its own timeout (not matched by States.TaskFailed). */
export async function statesTimeout(message: string): Promise<Error> {
  const proto = await probeStatesTimeoutError();
  const error = proto ? (Object.create(proto) as Error) : new Error();
  Object.assign(error, { name: 'States.Timeout', message, retryable: true, catchable: true });
  if (!proto) error.name = 'States.Timeout';
  return error;
}
