import '../../shared/runtime/polyfills.js';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { createChatServiceFromDeps } from '../../bot/index.js';
import type { ChatService } from '../../bot/service.js';
import { startAppServer } from '../../infra/local/app.js';
import { type Runtime, type RuntimeOptions, startRuntime } from '../../infra/local/runtime.js';
import type { LocalServer } from '../../infra/local/server.js';
import { inMemoryVault } from '../../shared/runtime/bank-vault.js';
import { newRandomToken, newUuid, systemClock } from '../../shared/runtime/ids.js';
import { logger } from '../../shared/runtime/logger.js';
import { outboxOnlyMailer } from '../../shared/runtime/mailer.js';
import { logMetrics } from '../../shared/runtime/metrics.js';
import { effectiveConfig } from '../../shared/usecases/config.js';
import type { Deps } from '../../shared/usecases/ports.js';
import { createStaff } from '../../shared/usecases/staff-auth.js';
import { enterAndValidateBankDetails } from './bank.js';
import { withDynalite } from './dynalite.js';
import { TEST_CONFIG, testConfigPath } from './test-config.js';
import { waitFor } from './wait.js';

// ---------------------------------------------------------------------------------------------------------------
// The one app harness: the product's HTTP server (as `npm start` assembles it, on port 0) over the local runtime or
// over a lite set of ports. The workflow tests' LocalApp below and the console tests' ConsoleApp
// (test/integration/console/harness.ts) are thin call styles over it.
// ---------------------------------------------------------------------------------------------------------------

export interface AppHarnessOptions extends Partial<RuntimeOptions> {
  /**
   * Lite mode: dynalite and the real HTTP server, with a Step Functions client that only records what it is sent.
   * For tests about the API's own contracts that seed the store directly (no workflow needed); a task seeded with a
   * fake token can then be decided, which the real engine would refuse.
   */
  lite?: boolean;
  /**
   * Mount the chat on the same server, as `npm start` does (infra/local/main.ts): the page, its webhook and websocket.
   * For journeys that go from the chat to the actor space.
   */
  chat?: boolean;
}

export interface AppHarness {
  deps: Deps;
  /** Null in lite mode. */
  runtime: Runtime | null;
  /** Step Functions calls seen by the stub client (lite mode only). */
  sfnCalls: { name: string; input: any }[];
  server: LocalServer;
  url: string;
  /** One HTTP exchange with the server; the body as text (each call style parses it its own way). */
  request(
    method: string,
    path: string,
    init?: { headers?: Record<string, string>; body?: string },
  ): Promise<{ status: number; headers: Headers; text: string }>;
  /** Logs a staff member in through the console API; returns the bearer token. */
  login(email: string, password: string): Promise<string>;
  /**
   * Confirms the applicant's address as a person would: opens the link of the latest sign-in message the outbox
   * holds for the application (`…/espace#code=…`) with POST /api/actor/sign-in/verify. Returns the actor session
   * token, or null when the address was already confirmed (or no link was sent).
   */
  confirmAddress(applicationId: string): Promise<string | null>;
  close(graceMs?: number): Promise<void>;
}

/** Stages an application only reaches once its address is confirmed (the harnesses' waits confirm it first). */
const AFTER_CONFIRMATION = new Set([
  'staff_review',
  'network_attestation',
  'changes_requested',
  'actor_commitments',
  'final_approval',
  'qualified',
  'rejected',
]);
export const needsConfirmedAddress = (stage: string): boolean => AFTER_CONFIRMATION.has(stage);

/** The code of a sign-in link (`…/espace#code=<code>`) in a message's text, or null. */
export function signInCodeIn(text: string): string | null {
  return /\/espace#code=([A-Za-z0-9_-]{20,100})/.exec(text)?.[1] ?? null;
}

const quiet = logger.child({}, { level: 'silent' });

async function startLite(): Promise<{ deps: Deps; sfnCalls: AppHarness['sfnCalls']; close(): Promise<void> }> {
  const db = await withDynalite();
  const sfnCalls: AppHarness['sfnCalls'] = [];
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
    config: () => effectiveConfig(db.store, TEST_CONFIG),
    clock: systemClock,
    newId: newUuid,
    newToken: newRandomToken,
    mailer: outboxOnlyMailer,
    logger: quiet,
    metrics: logMetrics(quiet),
    bankVault: inMemoryVault(),
  };
  return { deps, sfnCalls, close: () => db.close() };
}

/** The runtime (or lite ports) and the HTTP server on a random port. One per test file; `close()` in afterAll. */
export async function startAppHarness(options: AppHarnessOptions = {}): Promise<AppHarness> {
  const { lite = false, chat: withChat = false, ...runtimeOptions } = options;
  const liteParts = lite ? await startLite() : null;
  const runtime = liteParts
    ? null
    : await startRuntime({
        dataDir: null,
        ...(runtimeOptions.config ? {} : { configPath: testConfigPath() }),
        ...runtimeOptions,
      });
  const deps = (runtime?.deps ?? liteParts?.deps) as Deps;
  // The chat's allowed origin is the server's own, known once it listens: the mount reads it late.
  let chat: ChatService | null = null;
  const server = await startAppServer(deps, {
    host: '127.0.0.1',
    port: 0,
    ...(withChat
      ? {
          dispatchers: [(req) => (chat as ChatService).handle(req)],
          upgrades: [(req, socket, head) => (chat as ChatService).handleUpgrade(req, socket, head)],
        }
      : {}),
  });
  if (withChat) {
    chat = await createChatServiceFromDeps(deps, {
      allowedOrigins: [server.url],
      publicBaseUrl: server.url,
      ratePerMinute: 600,
    });
  }
  const request: AppHarness['request'] = async (method, path, init = {}) => {
    const res = await fetch(server.url + path, { method, headers: init.headers, body: init.body });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const confirmAddress: AppHarness['confirmAddress'] = async (applicationId) => {
    const app = await deps.store.applications.get(applicationId);
    if (!app || app.addressConfirmedAt) return null;
    const links = (await deps.store.outbox.list(applicationId)).filter((m) => m.key.startsWith('signin#'));
    const code = signInCodeIn(links.at(-1)?.text ?? '');
    if (!code) return null;
    const res = await request('POST', '/api/actor/sign-in/verify', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    if (res.status === 401 && (await deps.store.applications.get(applicationId))?.addressConfirmedAt) return null;
    if (res.status !== 200) throw new Error(`address confirmation failed: ${res.status} ${res.text}`);
    return JSON.parse(res.text).token as string;
  };
  return {
    deps,
    runtime,
    confirmAddress,
    sfnCalls: liteParts?.sfnCalls ?? [],
    server,
    url: server.url,
    request,
    async login(email, password) {
      const res = await request('POST', '/api/console/login', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
      return JSON.parse(res.text).token as string;
    },
    async close(graceMs) {
      await chat?.close();
      await server.close(graceMs);
      await runtime?.close();
      await liteParts?.close();
    },
  };
}

/** The JSON value of a response body, or `fallback` when the body is not JSON. */
export function parseJson(text: string, fallback: unknown): any {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// LocalApp: the workflow and API tests' call style (positional arguments, one admin staff member, waits through the
// API as staff would see them).
// ---------------------------------------------------------------------------------------------------------------

export const STAFF = { email: 'relecteur@aptic.test', password: 'mot-de-passe-solide-42' };
/** A second reviewer, for final approvals: four eyes (console.fourEyes) refuses them to the staff review's approver. */
export const STAFF_SECOND = { email: 'seconde-relectrice@aptic.test', password: 'mot-de-passe-solide-43' };

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
  /** A staff session; for `final_approval`, a second person's (four eyes). */
  staffToken(step?: string): Promise<string>;
  /**
   * Poll the application (as staff) until its stage is `stage`; fails with the last seen stage after `ms`. For a
   * stage past the address confirmation, the applicant's address is confirmed first (`confirmAddress`).
   */
  waitForStage(id: string, stage: string, ms?: number): Promise<any>;
  /** See AppHarness.confirmAddress. */
  confirmAddress(applicationId: string): Promise<string | null>;
  /** The open task of an application for a step, from the console inbox. */
  taskFor(applicationId: string, step: string): Promise<{ taskId: string }>;
  /**
   * The actor enters bank details and the admin (STAFF) validates them (test/helpers/bank.ts): what the final approval
   * waits for. Call it once the commitments step is open.
   */
  bankDetails(applicationId: string, actorToken: string): Promise<void>;
  close(): Promise<void>;
}

/** The whole product on one machine, in memory (or on disk), on random ports: real SDK clients throughout. */
export async function startLocalApp(options: Partial<RuntimeOptions> = {}): Promise<LocalApp> {
  const base = await startAppHarness({ dataDir: null, retryIntervalScale: 0.001, ...options });
  const rt = base.runtime as Runtime;
  if ((await rt.deps.store.staff.get(STAFF.email)) === null) {
    await createStaff(rt.deps, { ...STAFF, role: 'admin' }, 'test');
  }
  if ((await rt.deps.store.staff.get(STAFF_SECOND.email)) === null) {
    await createStaff(rt.deps, { ...STAFF_SECOND, role: 'reviewer' }, 'test');
  }
  let token: string | null = null;
  let secondToken: string | null = null;
  const app: LocalApp = {
    rt,
    server: base.server,
    url: base.url,
    async call(method, path, body, bearer, headers = {}) {
      const res = await base.request(method, path, {
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, body: parseJson(res.text, res.text) };
    },
    async staffToken(step) {
      if (step === 'final_approval') {
        secondToken ??= await base.login(STAFF_SECOND.email, STAFF_SECOND.password);
        return secondToken;
      }
      token ??= await base.login(STAFF.email, STAFF.password);
      return token;
    },
    confirmAddress: base.confirmAddress,
    async waitForStage(id, stage, ms = 10_000) {
      if (needsConfirmedAddress(stage)) await base.confirmAddress(id);
      const staff = await app.staffToken();
      let last: any = null;
      await waitFor(
        async () => {
          last = (await app.call('GET', `/api/applications/${id}`, undefined, staff)).body;
          return last?.stage;
        },
        (seen) => seen === stage,
        { timeout: ms, message: `application ${id} did not reach ${stage}` },
      );
      return last;
    },
    async taskFor(applicationId, step) {
      if (needsConfirmedAddress(step)) await base.confirmAddress(applicationId);
      const staff = await app.staffToken();
      return waitFor(
        async () => {
          const res = await app.call('GET', `/api/console/tasks?step=${step}`, undefined, staff);
          return (res.body.tasks as any[]).find((t) => t.applicationId === applicationId) as { taskId: string };
        },
        (task) => task !== undefined,
        { timeout: 10_000, message: `no open ${step} task for ${applicationId}` },
      );
    },
    async bankDetails(applicationId, actorToken) {
      await enterAndValidateBankDetails(
        (method, path, body, bearer) => app.call(method, path, body, bearer),
        applicationId,
        actorToken,
        await app.staffToken(),
      );
    },
    close: () => base.close(100),
  };
  return app;
}
