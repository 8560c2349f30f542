import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupTable, localDynamoClient, restoreBackup } from '../../infra/cli/backup.js';
import { PROJECT_ROOT } from '../../infra/local/paths.js';
import { buildServerBundle } from '../../infra/local/server-bundle.js';
import { taskIdFor } from '../../shared/store/keys.js';
import { siretFor, validApplication } from '../helpers/fixtures.js';
import { startLocalApp } from '../helpers/local-app.js';
import { freePort } from '../helpers/product.js';
import { waitFor } from '../helpers/wait.js';

/**
 * `npm start`, timed from outside as an operator sees it: from the spawn of `npm start` (own port, own data
 * directory) to the first 200 on /healthz, median of 3, (a) on a new data directory and (b) on a restart with
 * 10,000 unfinished applications. The 10,000 are written straight into the table (a generated backup file loaded by
 * the restore code), cloned from one real application waiting for staff review. `npm start` runs the cached bundle
 * of the server (infra/local/start.mjs); the time to build that bundle, paid by the first start after a change to
 * its sources, is printed too.
 */
const RUNS = 3;
const APPLICATIONS = 10_000;

interface Run {
  healthyMs: number;
  /** The breakdown `npm start` logs when ready (infra/local/main.ts). */
  phases: Record<string, number> | null;
  /** From the spawn to the end of the resumption of unfinished executions, when waited for. */
  resumedMs?: number;
  resumed?: number;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  // npm, its shell, the server and dynalite's child form one process group (detached): signal all of it.
  process.kill(-child.pid!, 'SIGTERM');
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 8000);
  await exited;
  // npm exits before its children have: the server finishing its requests and dynalite's child closing (and
  // flushing) its store would otherwise run during the next start and be counted there. Wait for the whole group.
  const until = performance.now() + 15_000;
  for (;;) {
    try {
      process.kill(-child.pid!, 0);
    } catch {
      break; // ESRCH: no process of the group is left
    }
    if (performance.now() > until) {
      process.kill(-child.pid!, 'SIGKILL');
      break;
    }
    await new Promise((ok) => setTimeout(ok, 20));
  }
  clearTimeout(timer);
}

async function timeToHealthy(dataDir: string, options: { waitResume?: boolean } = {}): Promise<Run> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let resumedAt: number | undefined;
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    if (resumedAt === undefined && /qualification\(s\) reprise\(s\)/.test(out)) resumedAt = performance.now();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  try {
    let healthyMs: number | null = null;
    while (healthyMs === null) {
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${out.slice(-2000)}`);
      if (performance.now() - t0 > 120_000) throw new Error(`not healthy after 120 s:\n${out.slice(-2000)}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (res.status === 200) healthyMs = performance.now() - t0;
      } catch {
        // not listening yet
      }
      if (healthyMs === null) await new Promise((ok) => setTimeout(ok, 10));
    }
    const run: Run = { healthyMs, phases: null };
    if (options.waitResume) {
      const deadline = performance.now() + 600_000;
      while (resumedAt === undefined && performance.now() < deadline && child.exitCode === null) {
        await new Promise((ok) => setTimeout(ok, 100));
      }
      if (resumedAt !== undefined) {
        run.resumedMs = resumedAt - t0;
        run.resumed = Number(/(\d+) qualification\(s\) reprise\(s\)/.exec(out)?.[1]);
      }
    }
    await new Promise((ok) => setTimeout(ok, 50)); // the 'ready' log line follows the listen by a few ms
    const ready = out.split('\n').find((l) => l.includes('"startupMs"'));
    run.phases = ready ? (JSON.parse(ready) as { startupMs: Record<string, number> }).startupMs : null;
    return run;
  } finally {
    await stop(child);
  }
}

/** A data directory holding `n` applications waiting for staff review, cloned from one real one. */
async function seed(root: string, n: number): Promise<{ dir: string; items: number; seconds: number }> {
  const t0 = performance.now();
  const app = await startLocalApp({ reminderIntervalMs: 0 });
  let template: string[];
  let id: string;
  const siret = siretFor(1);
  try {
    const res = await app.call('POST', '/api/applications', validApplication({ siret }));
    if (res.status !== 201) throw new Error(`seed: ${res.status} ${JSON.stringify(res.body)}`);
    id = res.body.id as string;
    await app.waitForStage(id, 'staff_review');
    // The stage is written before open-task has stored its task and the message about it: wait for both, so that
    // closing the in-process dynalite below does not cut a write in flight (dynalite then throws from its callback).
    await app.taskFor(id, 'staff_review');
    const staff = await app.staffToken();
    await waitFor(
      async () =>
        (await app.call('GET', '/api/console/outbox?limit=50', undefined, staff)).body.messages as { stage?: string }[],
      (messages) => messages.some((m) => m.stage === 'staff_review'),
      { message: 'no staff_review message in the outbox' },
    );
    const client = localDynamoClient(app.rt.endpoints.dynamodb);
    try {
      const { file } = await backupTable(client, app.rt.endpoints.tableName, join(root, 'template'));
      template = readFileSync(file, 'utf8').trim().split('\n');
    } finally {
      client.destroy();
    }
  } finally {
    await app.close();
  }
  const header = template[0]!;
  const items = template.slice(1, -1);
  const perApplication = items.filter((l) => l.includes(id) || l.includes(siret));
  const shared = items.filter((l) => !perApplication.includes(l));
  const taskId = taskIdFor(id, 'staff_review', 1);
  const lines = [header, ...shared];
  for (let k = 0; k < n; k++) {
    const newId = randomUUID();
    const newSiret = siretFor(100_000 + k);
    const newTask = taskIdFor(newId, 'staff_review', 1);
    for (const l of perApplication) {
      lines.push(l.replaceAll(id, newId).replaceAll(siret, newSiret).replaceAll(taskId, newTask));
    }
  }
  // Items that carry neither the id nor the SIRET in full (a search entry of the SIREN, shared by clones whose SIRETs
  // differ only in their last digits) would repeat a key: a backup never holds one twice, and BatchWrite refuses it.
  const seen = new Set<string>();
  const unique = lines.filter((l, i) => {
    if (i === 0) return true;
    const { Item: item } = JSON.parse(l) as { Item?: { pk?: { S?: string }; sk?: { S?: string } } };
    const key = `${item?.pk?.S}|${item?.sk?.S}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // (no spread: 100,000 arguments overflow the stack)
  unique.push(JSON.stringify({ end: true, count: unique.length - 1 }));
  const file = join(root, 'seed.jsonl');
  writeFileSync(file, `${unique.join('\n')}\n`);
  const dir = join(root, 'seed');
  const { count } = await restoreBackup(file, dir);
  return { dir, items: count, seconds: (performance.now() - t0) / 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const phasesOf = (r: Run) =>
  r.phases
    ? Object.entries(r.phases)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')
    : 'no breakdown logged';

export async function benchStartup(): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'aptic-bench-startup-'));
  const lines: string[] = [];
  try {
    // A first start outside the figures: it fills the caches a developer's machine already has (the server's bundle,
    // the extracted state machine, the trained FAQ classifier), so the figures are those of every start after the first.
    await timeToHealthy(join(root, 'warm-up'));

    const fresh: Run[] = [];
    for (let i = 0; i < RUNS; i++) fresh.push(await timeToHealthy(join(root, `fresh-${i}`)));
    const m = median(fresh.map((r) => r.healthyMs));
    lines.push(
      `(a) new data directory: spawn of npm start → first 200 on /healthz ${s(m)} median of ${RUNS} ` +
        `(${fresh.map((r) => s(r.healthyMs)).join(', ')})`,
    );
    lines.push(
      `    breakdown of the median run (ms, logged by npm start): ${phasesOf(fresh.find((r) => r.healthyMs === m)!)}`,
    );

    // What the first start after an edit pays on top (the bundle is rebuilt; here into a cache of its own).
    const builds: number[] = [];
    for (let i = 0; i < RUNS; i++) builds.push((await buildServerBundle(join(root, `bundle-${i}`))).ms);
    lines.push(
      `    first start after a change to the server's sources: + bundle build ${s(median(builds))} median of ${RUNS} ` +
        `(${builds.map(s).join(', ')})`,
    );

    const seeded = await seed(root, APPLICATIONS);
    lines.push(
      `seed: ${APPLICATIONS.toLocaleString('en')} applications waiting for staff review, ${seeded.items.toLocaleString('en')} items, ` +
        `written by the restore code in ${seeded.seconds.toFixed(1)} s`,
    );
    const restart: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      const dir = join(root, `restart-${i}`);
      mkdirSync(dir);
      cpSync(seeded.dir, dir, { recursive: true });
      // The first run also waits for the resumption to finish, for the figure below.
      restart.push(await timeToHealthy(dir, { waitResume: i === 0 }));
    }
    const r = median(restart.map((x) => x.healthyMs));
    lines.push(
      `(b) restart with ${APPLICATIONS.toLocaleString('en')} applications: first 200 on /healthz ${s(r)} median of ${RUNS} ` +
        `(${restart.map((x) => s(x.healthyMs)).join(', ')})`,
    );
    lines.push(`    breakdown of the median run (ms): ${phasesOf(restart.find((x) => x.healthyMs === r)!)}`);
    const first = restart[0]!;
    lines.push(
      first.resumedMs !== undefined
        ? `    resumption in the background: ${first.resumed} executions restarted ${s(first.resumedMs)} after the spawn`
        : '    resumption in the background: not finished within 10 min',
    );
    return lines;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
