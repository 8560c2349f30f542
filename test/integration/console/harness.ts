import type { SFNClient } from '@aws-sdk/client-sfn';
import { startAppServer } from '../../../infra/local/app.js';
import { type Runtime, type RuntimeOptions, startRuntime } from '../../../infra/local/runtime.js';
import type { LocalServer } from '../../../infra/local/server.js';
import { DEFAULT_CONFIG } from '../../../shared/config/config.js';
import { type Deps, newRandomToken, newUuid, systemClock } from '../../../shared/runtime/deps.js';
import { logger } from '../../../shared/runtime/logger.js';
import { outboxOnlyMailer } from '../../../shared/runtime/mailer.js';
import { effectiveConfig } from '../../../shared/usecases/config.js';
import { createStaff } from '../../../shared/usecases/staff-auth.js';
import { withDynalite } from '../../helpers/dynalite.js';
import { completeSiret, exampleDocument } from '../../helpers/fixtures.js';

/**
 * The whole local runtime in memory (dynalite, the local state machine, the HTTP server on port 0), as `npm start`
 * assembles it. One per test file; `close()` in afterAll.
 */
export interface ConsoleApp {
  deps: Deps;
  /** Null in lite mode. */
  runtime: Runtime | null;
  /** Step Functions calls seen by the stub client (lite mode only). */
  sfnCalls: { name: string; input: any }[];
  server: LocalServer;
  url: string;
  call(
    method: string,
    path: string,
    opts?: CallOptions,
  ): Promise<{ status: number; body: any; headers: Headers; text: string }>;
  staff(role?: 'reviewer' | 'admin', email?: string): Promise<{ email: string; token: string }>;
  submit(overrides?: DocOverrides): Promise<{ id: string; actorToken: string; status: string }>;
  waitForTask(applicationId: string, step: string, timeoutMs?: number): Promise<{ taskId: string; step: string }>;
  waitForStage(applicationId: string, stage: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

interface CallOptions {
  token?: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

export interface DocOverrides {
  nom?: string;
  siret?: string;
  lieu?: Record<string, unknown>;
  publication?: boolean;
  lieux_d_intervention?: string[];
  campagne?: string | null;
  extra?: (doc: any) => void;
}

let serial = 0;

/** A Luhn-valid SIRET, different for each call in a process (and per seed). */
export function makeSiret(seed = 0): string {
  serial++;
  return completeSiret(
    `7${String(seed).padStart(4, '0')}${String(process.pid % 1000).padStart(3, '0')}${String(serial).padStart(5, '0')}`.slice(
      0,
      13,
    ),
  );
}

export function applicationDocument(o: DocOverrides = {}): Record<string, any> {
  const doc: Record<string, any> = exampleDocument();
  doc.structure.nom = o.nom ?? doc.structure.nom;
  doc.structure.siret = o.siret ?? makeSiret();
  doc.lieux[0] = { ...doc.lieux[0], ...(o.lieu ?? {}) };
  if (o.lieux_d_intervention) doc.activite.lieux_d_intervention = o.lieux_d_intervention;
  if (o.publication !== undefined) doc.engagements.publication = o.publication;
  if (o.campagne !== undefined) doc.contexte.campagne = o.campagne;
  o.extra?.(doc);
  return doc;
}

const quiet = logger.child({}, { level: 'silent' });

/**
 * Lite mode: dynalite and the real HTTP server, with a Step Functions client that only records what it is sent.
 * For tests about the console's own contracts that seed the store directly (no workflow needed); a task seeded
 * with a fake token can then be decided, which the real engine would refuse.
 */
async function startLite(): Promise<{ deps: Deps; sfnCalls: ConsoleApp['sfnCalls']; close(): Promise<void> }> {
  const db = await withDynalite();
  const sfnCalls: ConsoleApp['sfnCalls'] = [];
  const sfn = {
    send: async (command: { constructor: { name: string }; input: unknown }) => {
      sfnCalls.push({ name: command.constructor.name, input: command.input });
      return {};
    },
    destroy() {},
  } as unknown as SFNClient;
  const deps: Deps = {
    store: db.store,
    sfn,
    stateMachineArn: 'arn:aws:states:eu-west-3:000000000000:stateMachine:test',
    config: () => effectiveConfig(db.store, DEFAULT_CONFIG),
    clock: systemClock,
    newId: newUuid,
    newToken: newRandomToken,
    mailer: outboxOnlyMailer,
    logger: quiet,
  };
  return { deps, sfnCalls, close: () => db.close() };
}

export async function startConsoleApp(options: Partial<RuntimeOptions> & { lite?: boolean } = {}): Promise<ConsoleApp> {
  const { lite = false, ...runtimeOptions } = options;
  const liteParts = lite ? await startLite() : null;
  const runtime = liteParts ? null : await startRuntime({ dataDir: null, logger: quiet, ...runtimeOptions });
  const deps = (runtime?.deps ?? liteParts?.deps) as Deps;
  const server = await startAppServer(deps, { host: '127.0.0.1', port: 0 });
  const url = server.url;
  let staffSerial = 0;

  const call: ConsoleApp['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(opts.body);
    }
    const res = await fetch(url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    return { status: res.status, body: parsed as any, headers: res.headers, text };
  };

  const app: ConsoleApp = {
    deps,
    runtime,
    sfnCalls: liteParts?.sfnCalls ?? [],
    server,
    url,
    call,
    async staff(role = 'reviewer', email) {
      const address = email ?? `${role}${++staffSerial}-${process.pid}@aptic.test`;
      const password = 'correct horse battery staple';
      if (!(await deps.store.getStaff(address))) {
        await createStaff(deps, { email: address, password, role }, 'test');
      }
      const res = await call('POST', '/api/console/login', { body: { email: address, password } });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
      return { email: address, token: res.body.token };
    },
    async submit(overrides = {}) {
      const res = await call('POST', '/api/applications', { body: applicationDocument(overrides) });
      if (res.status !== 201) throw new Error(`submit failed: ${res.status} ${res.text}`);
      return res.body;
    },
    async waitForTask(applicationId, step, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const tasks = await deps.store.listTasks(applicationId);
        const open = tasks.find((t) => t.status === 'open' && t.step === step);
        if (open) return { taskId: open.taskId, step: open.step };
        if (Date.now() > deadline) {
          const app = await deps.store.getApplication(applicationId);
          throw new Error(
            `no open ${step} task for ${applicationId} (stage ${app?.stage}, tasks ${JSON.stringify(tasks.map((t) => [t.step, t.status]))})`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async waitForStage(applicationId, stage, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const app = await deps.store.getApplication(applicationId);
        if (app?.stage === stage) return;
        if (Date.now() > deadline) throw new Error(`application ${applicationId} is ${app?.stage}, not ${stage}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await server.close(200);
      await runtime?.close();
      await liteParts?.close();
    },
  };
  return app;
}
