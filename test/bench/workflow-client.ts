// The benchmark's client, in its own process (test/bench/workflow.ts starts it): submits applications over HTTP,
// automates the staff and actor steps through the same API people use, and polls DynamoDB for the open tasks.
// Prints one JSON line: { ids, seconds, latencies }.
import '../../shared/runtime/polyfills.js';
import { Agent, request as httpRequest } from 'node:http';
import { makeDocumentClient } from '../../shared/runtime/clients.js';
import { Store } from '../../shared/store/store.js';
import { TEST_BANK_DETAILS as BANK_DETAILS } from '../helpers/bank.js';
import { siretFor, validApplication } from '../helpers/fixtures.js';

const args = JSON.parse(process.env.BENCH_ARGS ?? '{}') as {
  url: string;
  dynamodb: string;
  tableName: string;
  total: number;
  concurrency: number;
};
const store = new Store(makeDocumentClient({ endpoint: args.dynamodb, region: 'eu-west-3' }), args.tableName);
const total = args.total;
const concurrency = args.concurrency;

const latencies = new Map<string, number[]>();
// node:http with a keep-alive agent rather than fetch: the client shares the 2 cores with what it measures, and
// undici's fetch costs it about twice the CPU per call.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const base = new URL(args.url);
const request = (method: string, path: string, body?: string, token?: string) =>
  new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpRequest(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: {
          ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
const call = async (name: string, method: string, path: string, body?: unknown, token?: string) => {
  const t0 = performance.now();
  const res = await request(method, path, body ? JSON.stringify(body) : undefined, token);
  const json = JSON.parse(res.text) as any;
  const list = latencies.get(name) ?? [];
  list.push(performance.now() - t0);
  latencies.set(name, list);
  if (res.status >= 300) throw new Error(`${name}: ${res.status} ${res.text}`);
  return json;
};
const staff = (
  await call('POST /api/console/login', 'POST', '/api/console/login', {
    email: 'bench@aptic.test',
    password: 'bench-password-1234',
  })
).token as string;
const secondStaff = (
  await call('POST /api/console/login', 'POST', '/api/console/login', {
    email: 'bench2@aptic.test',
    password: 'bench-password-1234',
  })
).token as string;

// One poller for every qualification in flight, as a staff inbox works: each round reads the open tasks (one Query
// on the inbox index) and the applications still awaiting their final step, and wakes whoever waits on them. Its
// cost does not grow with the number of qualifications in flight (one GetItem per waiter every 50 ms did).
const POLL_MS = 20;
const taskWaiters = new Map<string, () => void>();
const leaveWaiters = new Map<string, () => void>();
let polling: Promise<void> | null = null;
const poll = async () => {
  for (let round = 0; taskWaiters.size > 0 || leaveWaiters.size > 0; round++) {
    if (taskWaiters.size > 0) {
      let cursor: string | undefined;
      do {
        const page = await store.tasks.inbox({}, { limit: 100, cursor });
        for (const t of page.tasks) {
          taskWaiters.get(t.taskId)?.();
          taskWaiters.delete(t.taskId);
        }
        cursor = page.next;
      } while (cursor);
    }
    // The end of a qualification needs no quick reaction (nothing waits on it but the count): every 5th round.
    if (leaveWaiters.size > 0 && round % 5 === 0) {
      const still = new Set((await store.applications.listActive({ stage: 'final_approval' })).map((a) => a.id));
      for (const [id, wake] of leaveWaiters) {
        if (still.has(id)) continue;
        wake();
        leaveWaiters.delete(id);
      }
    }
    await new Promise((ok) => setTimeout(ok, POLL_MS));
  }
  polling = null;
};
const wait = (waiters: Map<string, () => void>, key: string) =>
  new Promise<void>((ok) => {
    waiters.set(key, ok);
    polling ??= poll();
  });
const waitTask = async (id: string, step: string, round = 1) => {
  const taskId = store.tasks.idFor(id, step as never, round);
  await wait(taskWaiters, taskId);
  return taskId;
};
/** The application has left final approval (qualified, or not: the GET that follows says which). */
const waitLeftFinalApproval = (id: string) => wait(leaveWaiters, id);

/** One address per application: a sign-in link confirms every application of its address. */
const withAddress = (doc: Record<string, any>, courriel: string) => {
  doc.structure.representant_legal = { ...doc.structure.representant_legal, courriel };
  return doc;
};
const confirmAddress = async (id: string) => {
  const links = (await store.outbox.list(id)).filter((m) => m.key.startsWith('signin#'));
  const code = /\/espace#code=([A-Za-z0-9_-]+)/.exec(links.at(-1)?.text ?? '')?.[1];
  if (!code) throw new Error(`no sign-in link for ${id}`);
  await call('POST …/sign-in/verify', 'POST', '/api/actor/sign-in/verify', { code });
};

const one = async (n: number) => {
  const created = await call(
    'POST /api/applications',
    'POST',
    '/api/applications',
    withAddress(validApplication({ siret: siretFor(50_000 + n) }), `bench-${n}@aptic.test`),
  );
  // The applicant opens the link e-mailed at submission (address confirmation), as a person would.
  await confirmAddress(created.id);
  const review = await waitTask(created.id, 'staff_review');
  await call('POST …/decision', 'POST', `/api/console/tasks/${review}/decision`, { decision: 'approve' }, staff);
  await waitTask(created.id, 'actor_commitments');
  await call(
    'POST …/commitments',
    'POST',
    `/api/applications/${created.id}/commitments`,
    { charte: true, cgu: true, abonnement: 'oui' },
    created.actorToken,
  );
  // The final approval waits for bank details: the actor enters them, the admin validates them (product default).
  await call(
    'PUT …/bank-details',
    'PUT',
    `/api/applications/${created.id}/bank-details`,
    BANK_DETAILS,
    created.actorToken,
  );
  await call(
    'POST …/bank-details/validation',
    'POST',
    `/api/console/applications/${created.id}/bank-details/validation`,
    { valid: true },
    staff,
  );
  const final = await waitTask(created.id, 'final_approval');
  await call('POST …/decision', 'POST', `/api/console/tasks/${final}/decision`, { decision: 'approve' }, secondStaff);
  await waitLeftFinalApproval(created.id);
  const done = await call(
    'GET /api/applications/:id',
    'GET',
    `/api/applications/${created.id}`,
    undefined,
    created.actorToken,
  );
  if (done.stage !== 'qualified') throw new Error(`${created.id} ended at ${done.stage}`);
  return created.id as string;
};

// Warm-up (JIT, geography index, first dynalite writes), not counted.
await one(-1);
for (const key of latencies.keys()) if (!key.includes('login')) latencies.set(key, []);
const ids: string[] = [];
let next = 0;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) ids.push(await one(next++));
  }),
);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);

process.stdout.write(
  `${JSON.stringify({ ids, seconds, cpuMs: (cpu.user + cpu.system) / 1000, latencies: Object.fromEntries(latencies) })}\n`,
);
