import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { PROJECT_ROOT } from '../../infra/local/paths.js';

/**
 * `npm start` as an operator runs it: its own process group (npm, the server, dynalite's child), its own port and
 * data directory, reached over HTTP only. Used by the start-up benchmark and by `npm run verify`.
 */
export interface Product {
  url: string;
  port: number;
  /** Everything the process printed (stdout and stderr). */
  output(): string;
  /** From the spawn to the first 200 on /healthz. */
  healthyMs: number;
  /** SIGTERM to the whole group, SIGKILL after 8 s. */
  stop(): Promise<void>;
  /** SIGKILL to the whole group at once: a crash, nothing flushed. */
  kill9(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

async function signal(child: ChildProcess, sig: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  // npm, its shell, the server and dynalite's child form one process group (detached): signal all of it.
  process.kill(-child.pid!, sig);
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

/** Starts `npm start` on a free port with `dataDir` and waits for /healthz (at most `timeoutMs`). */
export async function startProduct(
  dataDir: string,
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Product> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const product: Product = {
    url,
    port,
    output: () => out,
    healthyMs: 0,
    stop: () => signal(child, 'SIGTERM', 8000),
    kill9: () => signal(child, 'SIGKILL', 1000),
  };
  const timeoutMs = options.timeoutMs ?? 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${out.slice(-2000)}`);
    if (performance.now() - t0 > timeoutMs) {
      await product.stop();
      throw new Error(`not healthy after ${timeoutMs} ms:\n${out.slice(-2000)}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((ok) => setTimeout(ok, 10));
  }
  product.healthyMs = performance.now() - t0;
  return product;
}
