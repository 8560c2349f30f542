import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { DynamoOptions, LocalDynamo } from './dynamo.js';
import { dynamoChildArgs } from './loading.js';

/**
 * dynalite in a child process: the same service as `startDynamo`, on the machine's other core. A DynamoDB call costs
 * dynalite 2–7 ms of CPU; in-process that CPU competes with the engine and the HTTP server on one event loop, which
 * halves throughput. The child exits when its stdin closes, so it never outlives this process.
 */
export async function startDynamoChild(options: DynamoOptions = {}): Promise<LocalDynamo> {
  const child = spawn(process.execPath, dynamoChildArgs(), {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, DYNAMO_DATA_DIR: options.dataDir ?? '', DYNAMO_PORT: String(options.port ?? 0) },
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error('dynalite child did not start within 30 s')), 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      if (line.startsWith('http://')) resolve(line.trim());
      else reject(new Error(`dynalite child failed: ${line}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dynalite child exited (${code}) before starting`));
    });
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  return {
    endpoint,
    port: Number(new URL(endpoint).port),
    pid: child.pid,
    async close() {
      child.stdin?.end();
      const timeout = setTimeout(() => child.kill('SIGKILL'), 1500);
      await exited;
      clearTimeout(timeout);
    },
  };
}
