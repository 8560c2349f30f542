import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LOGIN_LIMITS, throttledLogin } from '../../../shared/usecases/console/login-throttle.js';
import { createStaff } from '../../../shared/usecases/staff-auth.js';
import { type ConsoleApp, startConsoleApp } from './harness.js';

let app: ConsoleApp;
const password = 'correct horse battery staple';

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  for (const email of ['ana@aptic.test', 'bob@aptic.test', 'chloe@aptic.test', 'dan@aptic.test']) {
    await createStaff(app.deps, { email, password, role: 'reviewer' }, 'test');
  }
});
afterAll(() => app?.close());

const login = (email: string, pw: string, ip?: string) =>
  app.call('POST', '/api/console/login', { body: { email, password: pw }, headers: ip ? { 'x-test-ip': ip } : {} });

describe('login throttling', () => {
  // More successful sign-ins than the per-address ceiling (52 scrypt checks): four at a time, with room on a loaded
  // 2-core machine (each check costs ≈ 0.1–0.5 s of CPU).
  it('successful sign-ins do not use up the budget', { timeout: 180_000 }, async () => {
    const total = DEFAULT_LOGIN_LIMITS.perEmail + 2;
    for (let i = 0; i < total; i += 4) {
      const batch = Array.from({ length: Math.min(4, total - i) }, () => login('chloe@aptic.test', password));
      for (const res of await Promise.all(batch)) expect(res.status).toBe(200);
    }
  });

  it(`after ${DEFAULT_LOGIN_LIMITS.pairFreeFailures} failures on one e-mail from one address: 429 in French there, even with the right password`, async () => {
    for (let i = 0; i < DEFAULT_LOGIN_LIMITS.pairFreeFailures; i++) {
      const res = await login('Ana@aptic.test', 'wrong password');
      expect(res.status).toBe(401);
      expect(res.body.message).toBe('Adresse e-mail ou mot de passe incorrect.');
    }
    const blocked = await login('ana@aptic.test', password);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toBe('too_many_requests');
    expect(blocked.body.message).toMatch(/^Trop de tentatives de connexion\. Merci de réessayer dans \d+ minute/);
    expect(blocked.body.retryAfterSeconds).toBeGreaterThan(0);
    // Every 429 says when to come back, in seconds (issue 12).
    expect(blocked.headers.get('retry-after')).toBe(String(blocked.body.retryAfterSeconds));
    // Another account from the same address still signs in.
    expect((await login('bob@aptic.test', password)).status).toBe(200);
  });

  it('the counters are in DynamoDB (one item per e-mail, per address and per pair, per window)', async () => {
    const window = Math.floor(Date.now() / (DEFAULT_LOGIN_LIMITS.windowSeconds * 1000));
    const { throttleKeys } = await import('../../../shared/usecases/console/login-throttle.js');
    const keys = throttleKeys('ana@aptic.test', '127.0.0.1', window);
    // The failures of the test above; the 429 itself counted nothing.
    expect(await app.deps.store.counters.get(keys.email)).toBe(DEFAULT_LOGIN_LIMITS.pairFreeFailures);
    expect(await app.deps.store.counters.get(keys.pair)).toBe(DEFAULT_LOGIN_LIMITS.pairFreeFailures);
    // They carry the table's TTL attribute: the end of their window (DynamoDB deletes them afterwards).
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { keys: storeKeys } = await import('../../../shared/store/keys.js');
    const item = await app.deps.store.client.send(
      new GetCommand({ TableName: app.deps.store.tableName, Key: storeKeys.counter(keys.email) }),
    );
    expect(item.Item?.expiresAt).toBe(((window + 1) * DEFAULT_LOGIN_LIMITS.windowSeconds * 1000) / 1000);
  });

  it('failures from one address block every e-mail from it (limits lowered for the test)', async () => {
    const limits = { windowSeconds: 900, perEmail: 100, perIp: 3 };
    const attempt = (email: string, pw: string) =>
      throttledLogin(app.deps, { email, password: pw }, '203.0.113.7', limits).then(
        () => 'ok',
        (err: Error) => err.name,
      );
    for (let i = 0; i < 3; i++) expect(await attempt(`nobody${i}@aptic.test`, 'nope')).toBe('UnauthorizedError');
    expect(await attempt('bob@aptic.test', password)).toBe('TooManyRequestsError');
    // Another address is not affected.
    expect(await throttledLogin(app.deps, { email: 'bob@aptic.test', password }, '203.0.113.8', limits)).toHaveProperty(
      'token',
    );
  });

  // Issue 12 (7): a stranger could lock any staff address for 15 minutes with five wrong passwords.
  it('failures from one source do not lock the owner out: the right password from another source signs in', async () => {
    const attempt = (pw: string, ip: string) =>
      throttledLogin(app.deps, { email: 'bob@aptic.test', password: pw }, ip).then(
        () => 'ok',
        (err: Error) => err.name,
      );
    for (let i = 0; i < DEFAULT_LOGIN_LIMITS.pairFreeFailures + 3; i++) await attempt('wrong', '198.51.100.66');
    expect(await attempt(password, '198.51.100.66')).toBe('TooManyRequestsError');
    expect(await attempt(password, '198.51.100.10')).toBe('ok');
  });

  it('a failing pair waits longer after each further failure, and a success clears its record', async () => {
    let now = Date.parse('2026-12-03T10:00:00Z');
    const deps = { ...app.deps, clock: () => new Date(now) };
    const attempt = (pw: string) =>
      throttledLogin(deps, { email: 'chloe@aptic.test', password: pw }, '192.0.2.77').then(
        () => ({ ok: true, wait: 0 }),
        (err: Error & { retryAfterSeconds?: number }) => ({
          ok: false,
          name: err.name,
          wait: err.retryAfterSeconds ?? 0,
        }),
      );
    const free = DEFAULT_LOGIN_LIMITS.pairFreeFailures;
    for (let i = 0; i < free; i++) expect(await attempt('wrong')).toMatchObject({ name: 'UnauthorizedError' });
    const first = await attempt(password);
    expect(first).toMatchObject({ ok: false, name: 'TooManyRequestsError' });
    expect(first.wait).toBe(DEFAULT_LOGIN_LIMITS.pairBaseDelaySeconds);
    now += first.wait * 1000;
    expect(await attempt('wrong')).toMatchObject({ name: 'UnauthorizedError' });
    const second = await attempt(password);
    expect(second.wait).toBe(2 * DEFAULT_LOGIN_LIMITS.pairBaseDelaySeconds);
    now += second.wait * 1000;
    expect(await attempt(password)).toMatchObject({ ok: true });
    // Cleared: the next mistake is free again.
    expect(await attempt('wrong')).toMatchObject({ name: 'UnauthorizedError' });
    expect(await attempt(password)).toMatchObject({ ok: true });
  });

  it('a per-address ceiling stops guessing spread over many sources (limits lowered for the test)', async () => {
    const limits = { ...DEFAULT_LOGIN_LIMITS, perEmail: 4 };
    const attempt = (pw: string, ip: string) =>
      throttledLogin(app.deps, { email: 'dan@aptic.test', password: pw }, ip, limits).then(
        () => 'ok',
        (err: Error) => err.name,
      );
    for (let i = 0; i < 4; i++) expect(await attempt('wrong', `203.0.113.${100 + i}`)).toBe('UnauthorizedError');
    expect(await attempt('wrong', '203.0.113.200')).toBe('TooManyRequestsError');
  });
});
