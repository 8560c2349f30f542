import { logger } from '../../../shared/runtime/logger.js';
import type { TaskItem } from '../../../shared/store/store.js';
import { createStaff } from '../../../shared/usecases/staff-auth.js';
import { enterAndValidateBankDetails } from '../../helpers/bank.js';
import { completeSiret, exampleDocument } from '../../helpers/fixtures.js';
import {
  type AppHarness,
  type AppHarnessOptions,
  needsConfirmedAddress,
  parseJson,
  startAppHarness,
} from '../../helpers/local-app.js';
import { waitFor } from '../../helpers/wait.js';

/**
 * The console tests' call style over the one app harness (test/helpers/local-app.ts: the whole local runtime in
 * memory, or lite mode, and the HTTP server on port 0): option-object calls, staff of any role, waits read from the
 * store. One per test file; `close()` in afterAll.
 */
export interface ConsoleApp
  extends Pick<AppHarness, 'deps' | 'runtime' | 'sfnCalls' | 'server' | 'url' | 'confirmAddress'> {
  call(
    method: string,
    path: string,
    opts?: CallOptions,
  ): Promise<{ status: number; body: any; headers: Headers; text: string }>;
  staff(role?: 'reviewer' | 'admin', email?: string): Promise<{ email: string; token: string }>;
  submit(overrides?: DocOverrides): Promise<{ id: string; actorToken: string; status: string }>;
  waitForTask(applicationId: string, step: string, timeoutMs?: number): Promise<{ taskId: string; step: string }>;
  waitForStage(applicationId: string, stage: string, timeoutMs?: number): Promise<void>;
  /**
   * The actor enters bank details and an admin validates them (test/helpers/bank.ts): what the final approval waits
   * for. Call it once the commitments step is open.
   */
  bankDetails(applicationId: string, actorToken: string): Promise<void>;
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

export async function startConsoleApp(options: AppHarnessOptions = {}): Promise<ConsoleApp> {
  const base = await startAppHarness({ logger: quiet, ...options });
  const { deps } = base;
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
    const res = await base.request(method, path, { headers, body });
    return { ...res, body: res.text ? parseJson(res.text, null) : null };
  };

  const app: ConsoleApp = {
    deps,
    runtime: base.runtime,
    sfnCalls: base.sfnCalls,
    server: base.server,
    url: base.url,
    confirmAddress: base.confirmAddress,
    call,
    async staff(role = 'reviewer', email) {
      const address = email ?? `${role}${++staffSerial}-${process.pid}@aptic.test`;
      const password = 'correct horse battery staple';
      if (!(await deps.store.staff.get(address))) {
        await createStaff(deps, { email: address, password, role }, 'test');
      }
      return { email: address, token: await base.login(address, password) };
    },
    async submit(overrides = {}) {
      const res = await call('POST', '/api/applications', { body: applicationDocument(overrides) });
      if (res.status !== 201) throw new Error(`submit failed: ${res.status} ${res.text}`);
      return res.body;
    },
    async waitForTask(applicationId, step, timeoutMs = 15_000) {
      // A person confirms their address (the link e-mailed at submission) before staff see the application.
      if (needsConfirmedAddress(step)) await base.confirmAddress(applicationId);
      // Polls the task list itself so that a timeout shows which tasks the application has.
      const tasks = await waitFor(
        () => deps.store.tasks.list(applicationId),
        (list: TaskItem[]) => list.some((t) => t.status === 'open' && t.step === step),
        { timeout: timeoutMs, interval: 50, message: `no open ${step} task for ${applicationId}` },
      );
      const open = tasks.find((t) => t.status === 'open' && t.step === step)!;
      return { taskId: open.taskId, step: open.step };
    },
    async waitForStage(applicationId, stage, timeoutMs = 15_000) {
      if (needsConfirmedAddress(stage)) await base.confirmAddress(applicationId);
      await waitFor(
        async () => (await deps.store.applications.get(applicationId))?.stage,
        (seen) => seen === stage,
        { timeout: timeoutMs, interval: 50, message: `application ${applicationId} did not reach ${stage}` },
      );
    },
    async bankDetails(applicationId, actorToken) {
      const admin = await app.staff('admin');
      await enterAndValidateBankDetails(
        async (method, path, body, bearer) => call(method, path, { body, token: bearer }),
        applicationId,
        actorToken,
        admin.token,
      );
    },
    close: () => base.close(200),
  };
  return app;
}
