import '../../shared/runtime/polyfills.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as attest from '../../functions/workflow/attest.js';
import * as evaluate from '../../functions/workflow/evaluate.js';
import * as notify from '../../functions/workflow/notify.js';
import * as openTask from '../../functions/workflow/open-task.js';
import * as qualify from '../../functions/workflow/qualify.js';
import * as recordError from '../../functions/workflow/record-error.js';
import * as recordOutcome from '../../functions/workflow/record-outcome.js';
import type { AppConfig } from '../../shared/config/config.js';
import { buildDeps, setDeps } from '../../shared/runtime/clients.js';
import { logger as baseLogger, type Logger } from '../../shared/runtime/logger.js';
import type { Deps } from '../../shared/usecases/ports.js';
import { sendReminders } from '../../shared/usecases/reminders.js';
import { runRetention } from '../../shared/usecases/retention.js';
import { startExecution } from '../../shared/usecases/submit-application.js';
import type { WorkflowFunctions } from '../constructs/qualification-state-machine.js';
import { loadAsl } from './asl-cache.js';
import { ensureTable, type LocalDynamo, startDynamo } from './dynamo.js';
import { startDynamoChild } from './dynamo-child.js';
import { inProcessHandler, listen as listenSfn } from './sfn/endpoint.js';
import { LocalStepFunctions, type TaskHandler } from './sfn/engine.js';

export const LOCAL_REGION = 'eu-west-3';
export const LOCAL_ACCOUNT = '000000000000';
export const STATE_MACHINE_NAME = 'aptic-qualification';
export const STATE_MACHINE_ARN = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${STATE_MACHINE_NAME}`;

type Runner = (deps: Deps, payload: unknown) => Promise<unknown>;

/** The same handler modules the Lambdas run, by the function each Task invokes in the CDK stack. */
const RUNNERS: Record<keyof WorkflowFunctions, Runner> = {
  evaluate: evaluate.run,
  openTask: openTask.run,
  recordOutcome: recordOutcome.run,
  qualify: qualify.run,
  notify: notify.run,
  recordError: recordError.run,
  attest: attest.run,
};

export interface RuntimeOptions {
  /** null = in memory. */
  dataDir: string | null;
  tableName?: string;
  /** Tests shorten human-step timeouts and retry intervals. */
  timeoutScale?: number;
  retryIntervalScale?: number;
  callbackTimeoutOverride?: { timeoutSeconds: number; heartbeatSeconds: number };
  config?: AppConfig;
  configPath?: string;
  logger?: Logger;
  /** Wrap task runners (tests inject transient faults around the real handlers). */
  wrapRunner?: (state: string, run: Runner) => Runner;
  depsOverrides?: Partial<Deps>;
  /** Run dynalite in a child process (the other core). `npm start` and the benchmark do; tests keep it in-process. */
  dynamoInChildProcess?: boolean;
  /** How often the reminder loop (heartbeats + actor reminders) runs; 0 disables it. Default: hourly. */
  reminderIntervalMs?: number;
  /** How often the retention job runs (the EventBridge schedule's stand-in); 0 disables it. Default: daily. */
  retentionIntervalMs?: number;
  /**
   * A dynalite the caller already started (closed with the runtime): `npm start` spawns it before loading its own
   * modules, so the child boots on the other core meanwhile.
   */
  dynamo?: Promise<LocalDynamo>;
}

export interface Runtime {
  deps: Deps;
  engine: LocalStepFunctions;
  dynamo: LocalDynamo;
  endpoints: { dynamodb: string; stepfunctions: string; tableName: string; stateMachineArn: string };
  /**
   * Restart executions of applications whose stage is not terminal, a few at a time. Returns how many were
   * restarted (those left when the runtime closes are not).
   */
  resumeUnfinished(options?: { concurrency?: number }): Promise<number>;
  close(): Promise<void>;
}

/**
 * The AWS side on one machine: dynalite for DynamoDB, the state machine synthesized from the CDK stack run by
 * aws-local-stepfunctions, and a Step Functions JSON endpoint in front of it, so the use cases talk to both through
 * the real SDK clients exactly as on AWS.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const dynamoStarting =
    options.dynamo ??
    (options.dynamoInChildProcess
      ? startDynamoChild({ dataDir: options.dataDir })
      : startDynamo({ dataDir: options.dataDir }));
  // Failing later steps must not leave the child running: close it whatever happens after it started.
  let started: Runtime | null = null;
  try {
    started = await assemble(options, dynamoStarting);
    return started;
  } finally {
    if (!started) await dynamoStarting.then((d) => d.close()).catch(() => undefined);
  }
}

async function assemble(options: RuntimeOptions, dynamoStarting: Promise<LocalDynamo>): Promise<Runtime> {
  const log = options.logger ?? baseLogger;
  const tableName = options.tableName ?? 'aptic';
  // While dynalite starts: the definition (from the cache unless the stack's sources changed) and the engine.
  const { definition, tasks } = await loadAsl({ callbackTimeoutOverride: options.callbackTimeoutOverride });

  // The engine needs its handlers before the endpoint exists, and the handlers need deps that point at the
  // endpoint: resolve the cycle with a late-bound reference.
  let deps!: Deps;
  // Handlers still writing when the runtime closes must finish before dynalite goes away.
  const inFlight = new Set<Promise<unknown>>();
  const taskHandlers: Record<string, TaskHandler> = {};
  for (const [state, { function: fn }] of Object.entries(tasks)) {
    const base = RUNNERS[fn];
    const run = options.wrapRunner ? options.wrapRunner(state, base) : base;
    taskHandlers[state] = (input) => {
      const running = run(deps, input);
      inFlight.add(running);
      void running.catch(() => undefined).finally(() => inFlight.delete(running));
      return running;
    };
  }
  const engine = new LocalStepFunctions({
    definition,
    // loadAsl validated it (before caching it, on the start that extracted it).
    validated: true,
    stateMachineArn: STATE_MACHINE_ARN,
    stateMachineName: STATE_MACHINE_NAME,
    taskHandlers,
    timeoutScale: options.timeoutScale,
    retryIntervalScale: options.retryIntervalScale,
  });
  const sfnEndpoint = await listenSfn(engine, { host: '127.0.0.1', port: 0 });
  const dynamo = await dynamoStarting;

  deps = buildDeps(
    {
      TABLE_NAME: tableName,
      STATE_MACHINE_ARN: STATE_MACHINE_ARN,
      AWS_REGION: LOCAL_REGION,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      STEPFUNCTIONS_ENDPOINT: sfnEndpoint.url,
      APTIC_CONFIG: options.configPath,
      LOG_LEVEL: 'info',
      MAIL_FROM: 'noreply@aptic.local',
      PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
      // The bank vault's key file lives beside the data; in memory (tests, --memory) the key does too.
      DATA_DIR: options.dataDir ?? undefined,
    },
    {
      logger: log,
      ...(options.config ? { config: async () => options.config as AppConfig } : {}),
      ...options.depsOverrides,
    },
    // The use cases of this process reach the engine through the real SFNClient without a socket round trip;
    // the HTTP endpoint stays for other processes and the AWS CLI.
    { sfn: inProcessHandler(sfnEndpoint.endpoint) },
  );
  setDeps(deps);
  await ensureTable(deps.store.client, tableName);

  // The local stand-in for the scheduled reminder Lambda (EventBridge on AWS).
  const reminderMs = options.reminderIntervalMs ?? 3_600_000;
  let reminding: Promise<unknown> | null = null;
  const reminderTimer =
    reminderMs > 0
      ? setInterval(() => {
          reminding ??= sendReminders(deps)
            .catch((err) => log.warn({ err }, 'reminder run failed'))
            .finally(() => {
              reminding = null;
            });
        }, reminderMs)
      : null;
  reminderTimer?.unref();

  // The local stand-in for the scheduled retention Lambda (EventBridge on AWS): dynalite never expires TTL items.
  const retentionMs = options.retentionIntervalMs ?? 86_400_000;
  let retaining: Promise<unknown> | null = null;
  const retentionTimer =
    retentionMs > 0
      ? setInterval(() => {
          retaining ??= runRetention(deps)
            .catch((err) => log.warn({ err }, 'retention run failed'))
            .finally(() => {
              retaining = null;
            });
        }, retentionMs)
      : null;
  retentionTimer?.unref();

  let closing = false;
  const endpoints = {
    dynamodb: dynamo.endpoint,
    stepfunctions: sfnEndpoint.url,
    tableName,
    stateMachineArn: STATE_MACHINE_ARN,
  };
  return {
    deps,
    engine,
    dynamo,
    endpoints,
    async resumeUnfinished({ concurrency = 8 } = {}) {
      const active = await deps.store.applications.listActive();
      let n = 0;
      let next = 0;
      // A few at a time: each restart is an execution running to its current step (DynamoDB writes on the other
      // core), and the server keeps answering meanwhile.
      const worker = async () => {
        while (!closing && next < active.length) {
          const app = active[next++]!;
          try {
            await startExecution(deps, app.id, app.stage, app.round);
            n++;
          } catch (err) {
            if (!closing) log.error({ err, applicationId: app.id }, 'could not resume execution');
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
      return n;
    },
    async close() {
      closing = true;
      if (reminderTimer) clearInterval(reminderTimer);
      if (retentionTimer) clearInterval(retentionTimer);
      await reminding;
      await retaining;
      await engine.close();
      await Promise.allSettled([...inFlight]);
      await sfnEndpoint.close();
      deps.sfn.destroy();
      await dynamo.close();
      setDeps(null);
    },
  };
}

export function writeEndpointsFile(dataDir: string, endpoints: Runtime['endpoints']): string {
  const file = join(dataDir, 'endpoints.json');
  writeFileSync(file, `${JSON.stringify(endpoints, null, 2)}\n`);
  return file;
}
