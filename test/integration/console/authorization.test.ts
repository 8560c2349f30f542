import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../functions/routes.js';
import { hashToken } from '../../../shared/usecases/principal.js';
import { type ConsoleApp, startConsoleApp } from './harness.js';
import { seedApplication } from './seed.js';

/** Every console API route needs a staff session; admin routes need an admin. */
const ADMIN_ONLY = new Set([
  'GET /api/console/config',
  'PUT /api/console/config',
  'GET /api/console/changes',
  'POST /api/console/waitlist/release',
  'POST /api/console/networks',
  'POST /api/console/networks/:id/members',
  'POST /api/console/applications/:id/suspend',
  'POST /api/console/applications/:id/reinstate',
  'POST /api/console/applications/:id/withdraw',
  'POST /api/console/applications/:id/release-siret',
  'GET /api/console/applications/:id/bank-details',
  'POST /api/console/applications/:id/bank-details/validation',
  'POST /api/console/pass-injections',
  'POST /api/console/pass-injections/import',
  'POST /api/console/staff',
  'PUT /api/console/staff/:email',
  'POST /api/console/staff/:email/password',
  'POST /api/console/networks/:id/invitations',
  'GET /api/console/kb',
  'POST /api/console/kb/preview',
  'POST /api/console/kb/versions',
  'POST /api/console/kb/rollback',
]);
const PUBLIC = new Set(['POST /api/console/login', 'GET /api/lieux', 'GET /api/lieux.csv', 'GET /carte']);

let app: ConsoleApp;
let reviewer: string;
let admin: string;
let actorToken: string;
let expired: string;
let appId: string;
let taskId: string;

function concrete(path: string): string {
  return path
    .replace(':id', path.includes('networks') ? 'la-mednum' : appId)
    .replace(':taskId', taskId)
    .replace(':email', 'personne@aptic.test');
}

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  reviewer = (await app.staff('reviewer')).token;
  admin = (await app.staff('admin')).token;
  const seeded = await seedApplication(app.deps);
  appId = seeded.app.id;
  taskId = seeded.taskId ?? '';
  // An actor token for that application, exactly as submission issues it.
  actorToken = `act_${appId}.${'s'.repeat(40)}`;
  await app.deps.store.applications.update(appId, seeded.app.version, { actorTokenHash: hashToken(actorToken) });
  // A staff session that expired a minute ago.
  const reviewerEmail = (await app.deps.store.staff.list()).find((s) => s.role !== 'admin')?.email ?? '';
  expired = `stf_${Buffer.from(reviewerEmail).toString('base64url')}.${'e'.repeat(43)}`;
  await app.deps.store.sessions.put({
    tokenHash: hashToken(expired),
    kind: 'staff',
    subject: reviewerEmail,
    createdAt: new Date(Date.now() - 9 * 3600_000).toISOString(),
    expiresAt: Math.floor(Date.now() / 1000) - 60,
  });
});
afterAll(() => app?.close());

// Logout would end the shared sessions: it has its own test below.
const guarded = ROUTES.filter(
  (r) => r.path.startsWith('/api/console') && !PUBLIC.has(`${r.method} ${r.path}`) && r.path !== '/api/console/logout',
);
const contract = [
  { method: 'GET', path: '/api/console/tasks' },
  { method: 'POST', path: '/api/console/tasks/:taskId/decision' },
];

describe('console API authorization', () => {
  it.each([...guarded, ...contract].map((r) => [`${r.method} ${r.path}`, r.method, r.path]))(
    '%s',
    async (_name, method, path) => {
      const url = concrete(path);
      const body = method === 'GET' ? undefined : {};
      expect((await app.call(method, url, { body })).status, 'no token').toBe(401);
      expect(
        (await app.call(method, url, { body, token: 'stf_not-a-real-session-token' })).status,
        'unknown token',
      ).toBe(401);
      expect((await app.call(method, url, { body, token: expired })).status, 'expired session').toBe(401);
      const asActor = await app.call(method, url, { body, token: actorToken });
      expect(asActor.status, 'actor token').toBe(403);
      const asReviewer = await app.call(method, url, { body, token: reviewer });
      if (ADMIN_ONLY.has(`${method} ${path}`)) {
        expect(asReviewer.status, 'reviewer on an admin route').toBe(403);
        expect(asReviewer.body.message).toMatch(/administrateur/);
      } else {
        expect([401, 403]).not.toContain(asReviewer.status);
      }
      const asAdmin = await app.call(method, url, { body, token: admin });
      expect([401, 403]).not.toContain(asAdmin.status);
    },
  );

  it('401 and 403 answers carry a French message and no detail', async () => {
    const res = await app.call('GET', `/api/console/applications/${appId}`, { token: actorToken });
    expect(res.body).toEqual({ error: 'forbidden', message: expect.stringMatching(/accès/) });
  });

  it('public routes need nothing', async () => {
    expect((await app.call('GET', '/api/lieux')).status).toBe(200);
    expect((await app.call('GET', '/api/lieux.csv')).status).toBe(200);
    expect((await app.call('GET', '/carte')).status).toBe(200);
    expect((await app.call('GET', '/console')).status).toBe(200);
  });

  it('logout needs a session too', async () => {
    expect((await app.call('POST', '/api/console/logout')).status).toBe(401);
    expect((await app.call('POST', '/api/console/logout', { token: expired })).status).toBe(401);
    expect((await app.call('POST', '/api/console/logout', { token: actorToken })).status).toBe(403);
  });

  it('logout ends the session', async () => {
    const { token } = await app.staff('reviewer');
    expect((await app.call('GET', '/api/console/me', { token })).body.role).toBe('reviewer');
    expect((await app.call('POST', '/api/console/logout', { token })).status).toBe(200);
    expect((await app.call('GET', '/api/console/me', { token })).status).toBe(401);
  });
});
