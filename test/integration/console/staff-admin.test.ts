import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleApp, startConsoleApp } from './harness.js';

// Staff accounts managed by admins over HTTP (lite runtime: dynalite + the real server).
let app: ConsoleApp;
let admin: { email: string; token: string };

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  admin = await app.staff('admin');
});
afterAll(() => app?.close());

const login = (email: string, password: string) =>
  app.call('POST', '/api/console/login', { body: { email, password } });
const changes = async (email: string) =>
  (await app.call('GET', `/api/console/changes?entity=${encodeURIComponent(`staff:${email}`)}`, { token: admin.token }))
    .body.changes as { who: string; what: string }[];

describe('staff accounts (admin)', () => {
  it('creates an account with a generated password shown once; it signs in; an existing address is refused', async () => {
    const res = await app.call('POST', '/api/console/staff', {
      token: admin.token,
      body: { email: 'Nouvelle.Recrue@aptic.test', role: 'reviewer' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ email: 'nouvelle.recrue@aptic.test', role: 'reviewer', password: expect.any(String) });
    expect(res.body.password.length).toBeGreaterThanOrEqual(20);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const signedIn = await login('nouvelle.recrue@aptic.test', res.body.password);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.role).toBe('reviewer');
    // The password is stored hashed only.
    const stored = await app.deps.store.staff.get('nouvelle.recrue@aptic.test');
    expect(JSON.stringify(stored)).not.toContain(res.body.password);
    const again = await app.call('POST', '/api/console/staff', {
      token: admin.token,
      body: { email: 'nouvelle.recrue@aptic.test', role: 'admin' },
    });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/existe déjà/);
    const bad = await app.call('POST', '/api/console/staff', {
      token: admin.token,
      body: { email: 'pas-une-adresse' },
    });
    expect(bad.status).toBe(400);
    expect(await changes('nouvelle.recrue@aptic.test')).toContainEqual(
      expect.objectContaining({ who: admin.email, what: 'staff.create' }),
    );
  });

  it('is for admins only', async () => {
    const reviewer = await app.staff('reviewer');
    const res = await app.call('POST', '/api/console/staff', {
      token: reviewer.token,
      body: { email: 'x@aptic.test' },
    });
    expect(res.status).toBe(403);
    const put = await app.call('PUT', `/api/console/staff/${reviewer.email}`, {
      token: reviewer.token,
      body: { role: 'admin' },
    });
    expect(put.status).toBe(403);
  });

  it('changes a role, disables (sessions stop at once) and enables, resets a password; all audited', async () => {
    const created = await app.call('POST', '/api/console/staff', {
      token: admin.token,
      body: { email: 'equipe@aptic.test', role: 'reviewer' },
    });
    const promoted = await app.call('PUT', '/api/console/staff/equipe%40aptic.test', {
      token: admin.token,
      body: { role: 'admin' },
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body.account).toMatchObject({ email: 'equipe@aptic.test', role: 'admin', disabled: false });
    const session = (await login('equipe@aptic.test', created.body.password)).body.token;
    expect((await app.call('GET', '/api/console/me', { token: session })).status).toBe(200);

    const disabled = await app.call('PUT', '/api/console/staff/equipe@aptic.test', {
      token: admin.token,
      body: { disabled: true },
    });
    expect(disabled.body.account.disabled).toBe(true);
    expect((await app.call('GET', '/api/console/me', { token: session })).status).toBe(401);
    expect((await login('equipe@aptic.test', created.body.password)).status).toBe(401);
    await app.call('PUT', '/api/console/staff/equipe@aptic.test', { token: admin.token, body: { disabled: false } });

    const reset = await app.call('POST', '/api/console/staff/equipe@aptic.test/password', { token: admin.token });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ email: 'equipe@aptic.test', password: expect.any(String) });
    expect((await login('equipe@aptic.test', created.body.password)).status).toBe(401);
    expect((await login('equipe@aptic.test', reset.body.password)).status).toBe(200);

    const whats = (await changes('equipe@aptic.test')).map((c) => c.what);
    expect(whats).toEqual(
      expect.arrayContaining(['staff.create', 'staff.role', 'staff.disable', 'staff.enable', 'staff.password_reset']),
    );
    expect(
      (await app.call('PUT', '/api/console/staff/personne@aptic.test', { token: admin.token, body: { role: 'admin' } }))
        .status,
    ).toBe(404);
  });

  it('never removes or demotes the last enabled admin (409, in French)', async () => {
    // Leave exactly one enabled admin: the others are demoted first.
    for (const a of await app.deps.store.staff.list()) {
      if (a.role === 'admin' && a.email !== admin.email && !a.disabled) {
        const r = await app.call('PUT', `/api/console/staff/${a.email}`, {
          token: admin.token,
          body: { role: 'reviewer' },
        });
        expect(r.status).toBe(200);
      }
    }
    const demote = await app.call('PUT', `/api/console/staff/${admin.email}`, {
      token: admin.token,
      body: { role: 'reviewer' },
    });
    expect(demote.status).toBe(409);
    expect(demote.body).toMatchObject({
      error: 'last_admin',
      message: expect.stringMatching(/dernier compte administrateur/),
    });
    const disable = await app.call('PUT', `/api/console/staff/${admin.email}`, {
      token: admin.token,
      body: { disabled: true },
    });
    expect(disable.status).toBe(409);
    expect(await app.deps.store.staff.get(admin.email)).toMatchObject({ role: 'admin' });
    expect((await app.deps.store.staff.get(admin.email))?.disabled).not.toBe(true);
  });

  it('two admins demoting each other at once leave at least one admin', async () => {
    const a = await app.staff('admin');
    const b = await app.staff('admin');
    // Demote every other admin so that a and b are the only enabled admins.
    for (const s of await app.deps.store.staff.list()) {
      if (s.role === 'admin' && s.email !== a.email && s.email !== b.email && !s.disabled) {
        await app.call('PUT', `/api/console/staff/${s.email}`, { token: a.token, body: { role: 'reviewer' } });
      }
    }
    const [ra, rb] = await Promise.all([
      app.call('PUT', `/api/console/staff/${b.email}`, { token: a.token, body: { role: 'reviewer' } }),
      app.call('PUT', `/api/console/staff/${a.email}`, { token: b.token, body: { role: 'reviewer' } }),
    ]);
    expect([ra.status, rb.status]).toContain(409);
    const admins = (await app.deps.store.staff.list()).filter((s) => s.role === 'admin' && !s.disabled);
    expect(admins.length).toBeGreaterThanOrEqual(1);
  });
});
