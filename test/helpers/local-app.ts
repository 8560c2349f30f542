import '../../shared/runtime/polyfills.js';
import { startAppServer } from '../../infra/local/app.js';
import { type Runtime, type RuntimeOptions, startRuntime } from '../../infra/local/runtime.js';
import type { LocalServer } from '../../infra/local/server.js';
import { createStaff } from '../../shared/usecases/staff-auth.js';

export const STAFF = { email: 'relecteur@aptic.test', password: 'mot-de-passe-solide-42' };

export interface LocalApp {
  rt: Runtime;
  server: LocalServer;
  url: string;
  call(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any }>;
  staffToken(): Promise<string>;
  /** Poll the application (as staff) until its stage is `stage`; fails with the last seen stage after `ms`. */
  waitForStage(id: string, stage: string, ms?: number): Promise<any>;
  /** The open task of an application for a step, from the console inbox. */
  taskFor(applicationId: string, step: string): Promise<{ taskId: string }>;
  close(): Promise<void>;
}

/** The whole product on one machine, in memory (or on disk), on random ports: real SDK clients throughout. */
export async function startLocalApp(options: Partial<RuntimeOptions> = {}): Promise<LocalApp> {
  const rt = await startRuntime({ dataDir: null, retryIntervalScale: 0.001, ...options });
  const server = await startAppServer(rt.deps, { host: '127.0.0.1', port: 0 });
  if ((await rt.deps.store.staff.get(STAFF.email)) === null) {
    await createStaff(rt.deps, { ...STAFF, role: 'admin' }, 'test');
  }
  let token: string | null = null;
  const app: LocalApp = {
    rt,
    server,
    url: server.url,
    async call(method, path, body, bearer, headers = {}) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {}
      return { status: res.status, body: parsed };
    },
    async staffToken() {
      if (token) return token;
      const res = await app.call('POST', '/api/console/login', STAFF);
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
      token = res.body.token as string;
      return token;
    },
    async waitForStage(id, stage, ms = 10_000) {
      const deadline = Date.now() + ms;
      const staff = await app.staffToken();
      let last: any = null;
      while (Date.now() < deadline) {
        const res = await app.call('GET', `/api/applications/${id}`, undefined, staff);
        last = res.body;
        if (last?.stage === stage) return last;
        await new Promise((ok) => setTimeout(ok, 25));
      }
      throw new Error(`application ${id} did not reach ${stage}; last stage ${last?.stage}`);
    },
    async taskFor(applicationId, step) {
      const staff = await app.staffToken();
      for (let i = 0; i < 200; i++) {
        const res = await app.call('GET', `/api/console/tasks?step=${step}`, undefined, staff);
        const task = (res.body.tasks as any[]).find((t) => t.applicationId === applicationId);
        if (task) return task;
        await new Promise((ok) => setTimeout(ok, 25));
      }
      throw new Error(`no open ${step} task for ${applicationId}`);
    },
    async close() {
      await server.close(100);
      await rt.close();
    },
  };
  return app;
}
