import '../../shared/runtime/polyfills.js';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startAppServer } from '../../infra/local/app.js';
import { startRuntime } from '../../infra/local/runtime.js';
import { logger } from '../../shared/runtime/logger.js';
import { createStaff } from '../../shared/usecases/staff-auth.js';
import { siretFor, validApplication } from '../helpers/fixtures.js';
import { testConfigPath } from '../helpers/test-config.js';

/**
 * Complete qualifications through the local runtime (HTTP API → use cases → local Step Functions → dynalite), with
 * staff decisions automated through the same API a person uses. Figures: qualifications per second, p50/p99 per API
 * call, state transitions and Lambda invocations per happy path, and the AWS cost they imply at Paris prices.
 */
export const GOAL_QUALIFICATIONS_PER_SECOND = 20;
export const GOAL_TRANSITIONS = 25;

/**
 * Paris (eu-west-3) list prices, USD. Step Functions: AWS pricing page (Standard, $0.0297 per 1,000 transitions).
 * Lambda (Arm, requests + GB-s) and DynamoDB on-demand: us-east-1 list prices, used as a floor until checked for
 * Paris; they are data here, not a promise, and the printed figure says so.
 */
export const PRICES = {
  sfnPerTransition: 0.0297 / 1000,
  lambdaPerRequest: 0.2 / 1_000_000,
  lambdaPerGbSecondArm: 0.0000133334,
  dynamoPerWriteUnit: 0.625 / 1_000_000,
  dynamoPerReadUnit: 0.125 / 1_000_000,
};

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

interface ClientResult {
  ids: string[];
  seconds: number;
  /** The client process's own CPU time over the measured run. */
  cpuMs: number;
  latencies: Record<string, number[]>;
}

function runClientProcess(args: {
  url: string;
  dynamodb: string;
  tableName: string;
  total: number;
  concurrency: number;
}): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLIENT], {
      env: { ...process.env, BENCH_ARGS: JSON.stringify(args) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`client exited with ${code}`);
        resolve(JSON.parse(last) as ClientResult);
      } catch (err) {
        reject(err);
      }
    });
  });
}

/** CPU time (user + system) of another process, from /proc (Linux); null elsewhere. */
function processCpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    // Fields 14 and 15 (utime, stime) in clock ticks, counted after the command name, which may hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

const CLIENT = fileURLToPath(new URL('./workflow-client.ts', import.meta.url));

export async function benchWorkflow(
  options: { qualifications?: number; concurrency?: number } = {},
): Promise<string[]> {
  const total = options.qualifications ?? 300;
  const concurrency = options.concurrency ?? 20;
  const rt = await startRuntime({
    dataDir: null,
    configPath: testConfigPath(),
    reminderIntervalMs: 0,
    dynamoInChildProcess: true,
    logger: logger.child({}, { level: 'silent' }),
  });
  const server = await startAppServer(rt.deps, { host: '127.0.0.1', port: 0 });
  await createStaff(rt.deps, { email: 'bench@aptic.test', password: 'bench-password-1234', role: 'admin' }, 'bench');
  // Final approvals by a second person (four eyes).
  await createStaff(
    rt.deps,
    { email: 'bench2@aptic.test', password: 'bench-password-1234', role: 'reviewer' },
    'bench',
  );
  // The load comes from a second process, as a real client would: its HTTP calls and polling must not share the
  // server's event loop (that is what is being measured).
  // Every DynamoDB call of the server (API handlers and workflow Tasks) during the measured run, by kind.
  const calls = { read: 0, write: 0 };
  let counting = true;
  rt.deps.store.doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (counting) calls[/^(Get|Query|Scan|BatchGet)/.test(context.commandName ?? '') ? 'read' : 'write']++;
      return next(args);
    },
    { step: 'initialize', name: 'benchCallCount' },
  );
  const serverCpu0 = process.cpuUsage();
  const dynamoCpu0 = processCpuMs(rt.dynamo.pid);
  const result = await runClientProcess({
    url: server.url,
    dynamodb: rt.endpoints.dynamodb,
    tableName: rt.endpoints.tableName,
    total,
    concurrency,
  });
  const serverCpu = process.cpuUsage(serverCpu0);
  counting = false;
  const dynamoCpu1 = processCpuMs(rt.dynamo.pid);
  const { ids, seconds } = result;
  // CPU per qualification, per process: what bounds throughput on 2 cores, and steadier than wall time when other
  // jobs share the machine. (The client's figure covers its measured run; the others include its warm-up too.)
  const perQ = (ms: number | null) => (ms === null ? 'n/a' : `${(ms / ids.length).toFixed(1)} ms`);
  const cpuLine = `workflow: CPU per qualification: server ${perQ((serverCpu.user + serverCpu.system) / 1000)}, dynalite ${perQ(
    dynamoCpu0 === null || dynamoCpu1 === null ? null : dynamoCpu1 - dynamoCpu0,
  )}, load client ${perQ(result.cpuMs)}`;
  const latencies = new Map<string, number[]>(Object.entries(result.latencies));
  const stats = ids.map((id) =>
    rt.engine.executionStats(`arn:aws:states:eu-west-3:000000000000:execution:aptic-qualification:${id}`),
  );
  // Succeed is not billed as a transition on AWS; our count includes entering the final state, a slight overestimate.
  const transitions = Math.max(...stats.map((s) => s.stateTransitions));
  const invocations = Math.max(...stats.map((s) => s.taskInvocations));
  const lambdaGbSeconds = invocations * 0.256 * 0.1; // 256 MB, ~100 ms billed per invocation (estimate)
  const cost =
    transitions * PRICES.sfnPerTransition +
    (invocations + 5) * PRICES.lambdaPerRequest + // + the API calls' own Lambdas
    (lambdaGbSeconds + 5 * 0.256 * 0.05) * PRICES.lambdaPerGbSecondArm +
    // One request unit per call: a floor (items over 1 KB written, or 4 KB read, cost more units).
    (calls.write / ids.length) * PRICES.dynamoPerWriteUnit +
    (calls.read / ids.length) * PRICES.dynamoPerReadUnit;

  const lines = [
    `workflow: ${total} complete qualifications, ${concurrency} at a time: ${(total / seconds).toFixed(1)} qualifications/s (goal ≥ ${GOAL_QUALIFICATIONS_PER_SECOND})`,
    `workflow: ${transitions} state transitions and ${invocations} Lambda invocations per happy-path qualification (goal ≤ ${GOAL_TRANSITIONS} transitions)`,
    cpuLine,
    `workflow: DynamoDB calls per qualification, server side: ${(calls.read / ids.length).toFixed(1)} reads + ${(calls.write / ids.length).toFixed(1)} writes (the client's one warm-up qualification and sign-in included)`,
    `workflow: ≈ $${(cost * 1000).toFixed(3)} per 1,000 qualifications on AWS (Step Functions at Paris prices; Lambda and DynamoDB at us-east-1 list prices as an estimate)`,
  ];
  for (const [name, values] of latencies) {
    lines.push(
      `api: ${name.padEnd(28)} p50 ${pct(values, 50).toFixed(1)} ms  p99 ${pct(values, 99).toFixed(1)} ms  (n=${values.length})`,
    );
  }
  await server.close(100);
  await rt.close();
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of await benchWorkflow()) console.log(line);
}
