// `npm run verify`: the outside probe, kept. It starts the product as an operator does (`npm start` on a random port,
// disk store in a temporary directory), attacks and loads it over HTTP (and with Chromium for the XSS check), kills it
// with SIGKILL during approvals and starts it again, then prints one line per scenario with its figure and a summary.
// It is not part of `npm test` (it takes a few minutes); the README shows its last figures.
import '../../shared/runtime/polyfills.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../infra/local/paths.js';
import { launchChromium } from '../helpers/browser.js';
import { siretFor, validApplication } from '../helpers/fixtures.js';
import { type Product, startProduct } from '../helpers/product.js';

const STAFF = { email: 'verify@aptic.test', password: 'verify-password-1234' };

interface Outcome {
  ok: boolean;
  figure: string;
}
interface Scenario {
  name: string;
  run(): Promise<Outcome>;
}

let requests = 0;
let product: Product;
let siretSeed = 700_000 + Math.floor(Math.random() * 100_000);

async function call(
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; token?: string | null; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  requests++;
  const res = await fetch(`${product.url}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined || options.raw !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await res.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (pages, CSV)
  }
  return { status: res.status, body, text, headers: res.headers };
}

const nextSiret = () => siretFor(siretSeed++);
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

async function staffToken(): Promise<string> {
  const res = await call('POST', '/api/console/login', { body: STAFF });
  if (res.status !== 200) throw new Error(`staff login: ${res.status} ${res.text}`);
  return res.body.token as string;
}

/** The applicant confirms the address from the outbox's link, when the product asks for it (actor sign-in). */
async function confirmAddress(staff: string, applicationId: string): Promise<void> {
  const outbox = await call('GET', '/api/console/outbox?limit=200', { token: staff });
  const message = (outbox.body?.messages ?? []).find(
    (m: { applicationId?: string; text?: string }) => m.applicationId === applicationId && /#code=/.test(m.text ?? ''),
  );
  const code = /#code=([\w-]+)/.exec(message?.text ?? '')?.[1];
  if (code) await call('POST', '/api/actor/sign-in/verify', { body: { code } });
}

async function submit(edit: (doc: Record<string, any>) => void = () => {}) {
  const doc = validApplication({ siret: nextSiret() });
  edit(doc);
  return call('POST', '/api/applications', { body: doc });
}

async function openTask(staff: string, applicationId: string, step: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let confirmed = false;
  while (Date.now() < deadline) {
    const res = await call('GET', `/api/console/tasks?step=${step}&limit=200`, { token: staff });
    const task = (res.body?.tasks ?? []).find((t: { applicationId: string }) => t.applicationId === applicationId);
    if (task) return task as { taskId: string };
    if (!confirmed) {
      await confirmAddress(staff, applicationId);
      confirmed = true;
    }
    await sleep(100);
  }
  throw new Error(`no ${step} task for ${applicationId}`);
}

async function stageOf(staff: string, id: string): Promise<string> {
  return (await call('GET', `/api/applications/${id}`, { token: staff })).body?.stage;
}

const scenarios: Scenario[] = [
  {
    name: 'identity: forged and missing chat tokens refused',
    async run() {
      const forged = await call('POST', '/api/messages', {
        token: 'forged.token',
        body: { type: 'message', text: 'x' },
      });
      const none = await call('POST', '/api/messages', { body: { type: 'message', text: 'x' } });
      return { ok: forged.status === 401 && none.status === 401, figure: `${forged.status}, ${none.status}` };
    },
  },
  {
    name: 'origin: a foreign origin cannot open a chat session',
    async run() {
      const res = await call('POST', '/api/chat/session', { body: {}, headers: { origin: 'https://evil.example' } });
      return { ok: res.status === 403, figure: String(res.status) };
    },
  },
  {
    name: 'authorization: console without token, with an actor token',
    async run() {
      const app = await submit();
      const none = await call('GET', '/api/console/tasks');
      const actor = await call('GET', '/api/console/tasks', { token: app.body.actorToken });
      return { ok: none.status === 401 && actor.status === 403, figure: `${none.status}, ${actor.status}` };
    },
  },
  {
    name: 'IDOR: an actor token on another application',
    async run() {
      const a = await submit();
      const b = await submit();
      const res = await call('GET', `/api/applications/${b.body.id}`, { token: a.body.actorToken });
      return { ok: res.status === 403 || res.status === 404, figure: String(res.status) };
    },
  },
  {
    name: 'task tokens never leave the backend',
    async run() {
      const staff = await staffToken();
      const app = await submit();
      await openTask(staff, app.body.id, 'staff_review');
      const list = await call('GET', '/api/console/tasks?limit=200', { token: staff });
      const page = await call('GET', `/api/console/applications/${app.body.id}`, { token: staff });
      const leaks = [list.text, page.text].filter((t) => /"(task)?[tT]oken"\s*:/.test(t)).length;
      return { ok: leaks === 0, figure: `${leaks} leaks in 2 answers` };
    },
  },
  {
    name: 'XSS: actor text stays inert in the console (Chromium)',
    async run() {
      const staff = await staffToken();
      const payload = '<img src=x onerror="window.__xss=1">';
      const app = await submit((doc) => {
        doc.structure.nom = payload;
      });
      if (app.status !== 201) return { ok: false, figure: `submit ${app.status}` };
      await openTask(staff, app.body.id, 'staff_review');
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        await page.goto(`${product.url}/console`);
        await page.evaluate((t) => {
          sessionStorage.setItem('aptic.console.token', t);
          sessionStorage.setItem('aptic.console.role', 'admin');
        }, staff);
        await page.goto(`${product.url}/console/application.html?id=${app.body.id}`);
        await page.waitForLoadState('networkidle');
        const fired = await page.evaluate(() => (window as { __xss?: number }).__xss === 1);
        const shown = (await page.content()).includes('&lt;img');
        return { ok: !fired, figure: fired ? 'script ran' : shown ? 'rendered as text' : 'not fired' };
      } finally {
        await browser.close();
      }
    },
  },
  {
    name: 'path traversal on pages and assets',
    async run() {
      const paths = ['/console/..%2f..%2fpackage.json', '/assets/../../package.json', '/carte/%2e%2e/%2e%2e/.data'];
      const res = await Promise.all(paths.map((p) => call('GET', p)));
      const leaked = res.filter((r) => r.text.includes('"devDependencies"')).length;
      const errors = res.filter((r) => r.status >= 500).length;
      return { ok: leaked === 0 && errors === 0, figure: res.map((r) => r.status).join(', ') };
    },
  },
  {
    name: 'oversized, deeply nested and __proto__ bodies',
    async run() {
      const big = await call('POST', '/api/eligibility', { raw: JSON.stringify({ x: 'a'.repeat(70_000) }) });
      const nested = await call('POST', '/api/eligibility', { raw: `${'['.repeat(5000)}${']'.repeat(5000)}` });
      const proto = await call('POST', '/api/eligibility', {
        raw: '{"__proto__":{"polluted":1},"profil":"producteur"}',
      });
      const polluted = ({} as { polluted?: number }).polluted !== undefined;
      const ok = big.status === 413 && nested.status === 400 && proto.status === 400 && !polluted;
      return { ok, figure: `${big.status}, ${nested.status}, ${proto.status}` };
    },
  },
  {
    name: 'malformed percent-escapes',
    async run() {
      const res = await Promise.all(['/go/%', '/go/%ZZ', '/api/applications/%C3%28'].map((p) => call('GET', p)));
      return { ok: res.every((r) => r.status < 500), figure: res.map((r) => r.status).join(', ') };
    },
  },
  {
    name: '50 concurrent submissions of one SIRET',
    async run() {
      const doc = validApplication({ siret: nextSiret() });
      const res = await Promise.all(Array.from({ length: 50 }, () => call('POST', '/api/applications', { body: doc })));
      const created = res.filter((r) => r.status === 201).length;
      const errors = res.filter((r) => r.status >= 500).length;
      return { ok: created === 1 && errors === 0, figure: `${created} created, ${errors} errors` };
    },
  },
  {
    name: '100 distinct submissions at once',
    async run() {
      const res = await Promise.all(Array.from({ length: 100 }, () => submit()));
      const ids = new Set(res.filter((r) => r.status === 201).map((r) => r.body.id));
      const errors = res.filter((r) => r.status >= 500).length;
      return { ok: ids.size === 100 && errors === 0, figure: `${ids.size} applications, ${errors} errors` };
    },
  },
  {
    name: 'same Idempotency-Key twice at once, then with another body',
    async run() {
      const staff = await staffToken();
      const key = `verify-${Date.now()}`;
      const doc = validApplication({ siret: nextSiret() });
      const both = await Promise.all(
        [0, 1].map(() => call('POST', '/api/applications', { body: doc, headers: { 'idempotency-key': key } })),
      );
      const ids = new Set(both.map((r) => r.body?.id).filter(Boolean));
      const id = [...ids][0] as string;
      await sleep(1500);
      const stage = id ? await stageOf(staff, id) : 'none';
      // The same structure, another body (a changed name): the key must not take the application over.
      const changed = structuredClone(doc);
      changed.structure.nom = 'Un autre nom';
      const other = await call('POST', '/api/applications', { body: changed, headers: { 'idempotency-key': key } });
      const ok = ids.size === 1 && stage !== 'failed' && (other.status === 409 || other.status === 422);
      return { ok, figure: `${ids.size} application, stage ${stage}, other body ${other.status}` };
    },
  },
  {
    name: '20 races of two staff decisions',
    async run() {
      const staff = await staffToken();
      const apps = await Promise.all(Array.from({ length: 20 }, () => submit()));
      let good = 0;
      for (const app of apps) {
        const task = await openTask(staff, app.body.id, 'staff_review');
        const [a, b] = await Promise.all(
          [0, 1].map(() =>
            call('POST', `/api/console/tasks/${task.taskId}/decision`, { token: staff, body: { decision: 'approve' } }),
          ),
        );
        const statuses = [a!.status, b!.status].sort().join(',');
        if (statuses === '200,409') good++;
      }
      return { ok: good === 20, figure: `${good}/20 with one 200 and one 409` };
    },
  },
];

/** SIGKILL during approvals, start again on the same data: every application there once, the approvals carried on. */
async function crashScenario(dataDir: string, configPath: string): Promise<Outcome> {
  const staff = await staffToken();
  const apps = await Promise.all(Array.from({ length: 30 }, () => submit()));
  const ids = apps.map((a) => a.body.id as string);
  const tasks = [];
  for (const id of ids) tasks.push(await openTask(staff, id, 'staff_review'));
  // Approvals in flight when the process dies.
  const inFlight = tasks.map((t) =>
    call('POST', `/api/console/tasks/${t.taskId}/decision`, { token: staff, body: { decision: 'approve' } }).catch(
      () => null,
    ),
  );
  await sleep(150);
  await product.kill9();
  await Promise.all(inFlight);
  const t0 = performance.now();
  product = await startProduct(dataDir, {
    env: { STAFF_EMAIL: STAFF.email, STAFF_PASSWORD: STAFF.password, LOG_LEVEL: 'error', APTIC_CONFIG: configPath },
  });
  const healthyMs = performance.now() - t0;
  const staff2 = await staffToken();
  let present = 0;
  let lost = 0;
  const stages = new Map<string, number>();
  for (const id of ids) {
    const stage = await stageOf(staff2, id);
    if (stage) present++;
    else lost++;
    stages.set(stage ?? 'missing', (stages.get(stage ?? 'missing') ?? 0) + 1);
  }
  // Every approval that was claimed must carry on: no application may be left with a timeline that says « approuvé »
  // while its step is open again (the reliability issue, item 4). Wait for the resumed executions to settle.
  await sleep(3000);
  let contradictions = 0;
  for (const id of ids) {
    const view = await call('GET', `/api/applications/${id}`, { token: staff2 });
    const approved = (view.body?.history ?? []).some((e: { type: string }) => e.type === 'decision_approve');
    if (approved && view.body?.stage === 'staff_review') contradictions++;
  }
  const figure = `${present}/${ids.length} present, lost ${lost}, healthy again in ${Math.round(healthyMs)} ms, ${contradictions} contradicting timelines, stages ${JSON.stringify(Object.fromEntries(stages))}`;
  return { ok: lost === 0 && contradictions === 0, figure };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aptic-verify-'));
  const started = performance.now();
  let failed = 0;
  const line = (name: string, o: Outcome, ms: number) => {
    if (!o.ok) failed++;
    console.log(`${o.ok ? 'ok  ' : 'FAIL'} ${name} — ${o.figure} (${(ms / 1000).toFixed(1)} s)`);
  };
  try {
    // The probe sends hundreds of submissions from one address and one IP on purpose: the product's submission
    // limits (which it also checks: they answer 429) are raised in a configuration of its own.
    const config = JSON.parse(readFileSync(join(PROJECT_ROOT, 'shared/config/aptic-config.json'), 'utf8'));
    config.submissionLimits = { ...config.submissionLimits, perIp: 100_000, perEmail: 100_000 };
    const configPath = join(dataDir, 'verify-config.json');
    writeFileSync(configPath, JSON.stringify(config));
    product = await startProduct(join(dataDir, 'data'), {
      env: { STAFF_EMAIL: STAFF.email, STAFF_PASSWORD: STAFF.password, LOG_LEVEL: 'error', APTIC_CONFIG: configPath },
    });
    console.log(`product healthy in ${Math.round(product.healthyMs)} ms on ${product.url} (data in ${dataDir})`);
    for (const s of scenarios) {
      const t = performance.now();
      try {
        line(s.name, await s.run(), performance.now() - t);
      } catch (err) {
        line(s.name, { ok: false, figure: `error: ${(err as Error).message}` }, performance.now() - t);
      }
    }
    const t = performance.now();
    try {
      line(
        'kill -9 during approvals, then restart',
        await crashScenario(join(dataDir, 'data'), configPath),
        performance.now() - t,
      );
    } catch (err) {
      line('kill -9 during approvals, then restart', { ok: false, figure: `error: ${(err as Error).message}` }, 0);
    }
  } finally {
    await product?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const total = scenarios.length + 1;
  console.log(
    `${total - failed} passed, ${failed} failed — ${requests} requests in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
