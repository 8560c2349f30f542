import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleApp, makeSiret, startConsoleApp } from './harness.js';
import { seedApplication } from './seed.js';

// A network's page over HTTP (lite runtime: dynalite + the real server, Step Functions calls recorded): member
// states, invitations through the outbox, the final approval of many members with the bulk decisions route, and
// the import history with removal notices.
let app: ConsoleApp;
let admin: { email: string; token: string };
let alice: { email: string; token: string };
let bob: { email: string; token: string };
let networkId: string;
const s = Object.fromEntries(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((k, i) => [k, makeSiret(60 + i)])) as Record<
  'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G',
  string
>;
const row = (k: keyof typeof s, email = true, name = `Membre ${k}`) =>
  `${s[k]};${name};87280;Limoges;${email ? `contact-${k.toLowerCase()}@membre.test` : ''}`;
const HEADER = 'siret;nom;code_postal;commune;courriel_structure';

async function importCsv(lines: string[], mode?: 'replace') {
  const res = await app.call('POST', `/api/console/networks/${networkId}/members${mode ? `?mode=${mode}` : ''}`, {
    token: admin.token,
    raw: [HEADER, ...lines].join('\n'),
    headers: { 'content-type': 'text/csv; charset=utf-8' },
  });
  expect(res.status, res.text).toBe(200);
  return res.body;
}
const overview = async () =>
  (await app.call('GET', `/api/console/networks/${networkId}/overview`, { token: alice.token })).body;
const member = (o: any, k: keyof typeof s) => o.members.find((m: { siret: string }) => m.siret === s[k]);

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  admin = await app.staff('admin');
  alice = await app.staff('reviewer');
  bob = await app.staff('reviewer');
  const saved = await app.call('POST', '/api/console/networks', {
    token: admin.token,
    body: { name: 'Réseau Page', agreement: { signedAt: '2026-01-15' } },
  });
  networkId = saved.body.network.id;
  await importCsv([row('A'), row('B'), row('C'), row('D'), row('E'), row('F'), row('G', false)]);
  for (const [k, stage] of [
    ['B', 'final_approval'],
    ['C', 'final_approval'],
    ['D', 'qualified'],
    ['E', 'rejected'],
    ['F', 'staff_review'],
  ] as const) {
    await seedApplication(app.deps, { siret: s[k], stage, route: 'reseau' });
  }
});
afterAll(() => app?.close());

describe("a network's page", () => {
  it("shows each member's state, with the open final approval's task", async () => {
    const o = await overview();
    expect(o.members).toHaveLength(7);
    expect(member(o, 'A')).toMatchObject({
      state: 'not_invited',
      name: 'Membre A',
      commune: 'Limoges',
      hasEmail: true,
    });
    expect(member(o, 'B')).toMatchObject({
      state: 'in_review',
      stage: 'final_approval',
      finalApprovalTaskId: expect.any(String),
    });
    expect(member(o, 'D').state).toBe('qualified');
    expect(member(o, 'E').state).toBe('refused');
    expect(member(o, 'F')).toMatchObject({ state: 'in_review', finalApprovalTaskId: null });
    expect(o.counts).toMatchObject({ not_invited: 2, in_review: 3, qualified: 1, refused: 1 });
    // A reviewer may read it; the page is staff only.
    expect((await app.call('GET', `/api/console/networks/${networkId}/overview`)).status).toBe(401);
  });

  it('invites the members who have not applied: one e-mail each with a pre-filling campaign link, once', async () => {
    expect(
      (await app.call('POST', `/api/console/networks/${networkId}/invitations`, { token: alice.token })).status,
    ).toBe(403);
    const res = await app.call('POST', `/api/console/networks/${networkId}/invitations`, { token: admin.token });
    expect(res.status).toBe(200);
    const by = Object.fromEntries(res.body.results.map((r: { siret: string; status: string }) => [r.siret, r.status]));
    expect(by).toEqual({
      [s.A]: 'sent',
      [s.B]: 'already_applied',
      [s.C]: 'already_applied',
      [s.D]: 'already_applied',
      [s.E]: 'already_applied',
      [s.F]: 'already_applied',
      [s.G]: 'no_address',
    });
    expect(res.body.sent).toBe(1);
    const messages = await app.deps.store.outbox.list(`network:${networkId}`);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ to: 'contact-a@membre.test', subject: expect.stringContaining('Réseau Page') });
    const link = /\/go\/([A-Za-z0-9_-]+)\?m=([A-Za-z0-9_.~-]+)/.exec(messages[0]!.text);
    expect(link?.[1]).toBe(res.body.campaignCode);
    // The campaign exists (réseau route) and the token resolves to what the import knows.
    expect(await app.deps.store.campaigns.get(res.body.campaignCode)).toMatchObject({
      kind: 'network',
      route: 'reseau',
    });
    const { hashToken } = await import('../../../shared/usecases/principal.js');
    expect(await app.deps.store.networkRecords.invitationLink(hashToken(decodeURIComponent(link![2]!)))).toMatchObject({
      siret: s.A,
      name: 'Membre A',
      commune: 'Limoges',
      codePostal: '87280',
    });
    expect(member(await overview(), 'A')).toMatchObject({ state: 'invited', invitedAt: expect.any(String) });
    const again = await app.call('POST', `/api/console/networks/${networkId}/invitations`, { token: admin.token });
    expect(again.body.sent).toBe(0);
    expect(await app.deps.store.outbox.list(`network:${networkId}`)).toHaveLength(1);
  });

  it('approves many final approvals at once: a result per item, first decision wins', async () => {
    const o = await overview();
    const ids = o.members.flatMap((m: { finalApprovalTaskId: string | null }) => m.finalApprovalTaskId ?? []);
    expect(ids).toHaveLength(2);
    const first = await app.call('POST', `/api/console/tasks/${member(o, 'C').finalApprovalTaskId}/decision`, {
      token: bob.token,
      body: { decision: 'approve' },
    });
    expect(first.status).toBe(200);
    const bulk = await app.call('POST', '/api/console/tasks/decisions', {
      token: alice.token,
      body: { taskIds: ids, decision: 'approve' },
    });
    expect(bulk.status).toBe(200);
    const status = Object.fromEntries(
      bulk.body.results.map((r: { taskId: string; status: string }) => [r.taskId, r.status]),
    );
    expect(status).toEqual({
      [member(o, 'B').finalApprovalTaskId]: 'ok',
      [member(o, 'C').finalApprovalTaskId]: 'already_decided',
    });
  });

  it('keeps the import history and tells staff when a member with an application leaves the list', async () => {
    const report = await importCsv([row('A', true, 'Membre A renommé'), row('B'), row('C'), row('E')], 'replace');
    expect(report).toMatchObject({ mode: 'replace', accepted: 4, added: 0, removed: 3, changed: 1, notices: 2 });
    const o = await overview();
    expect(o.members.map((m: { siret: string }) => m.siret).sort()).toEqual([s.A, s.B, s.C, s.E].sort());
    expect(o.imports).toHaveLength(2);
    expect(o.imports[0]).toMatchObject({
      by: admin.email,
      mode: 'replace',
      added: [],
      removed: expect.arrayContaining([s.D, s.F, s.G]),
      changed: [{ siret: s.A, fields: ['nom'] }],
    });
    expect(o.imports[1]).toMatchObject({ mode: 'merge', added: expect.arrayContaining([s.A, s.G]), removed: [] });
    // D (qualified) and F (in review) are not disqualified: their stage stays, staff get a notice; G had no application.
    const noticed = o.notices.map((n: { siret: string }) => n.siret).sort();
    expect(noticed).toEqual([s.D, s.F].sort());
    const f = await app.deps.store.applications.getBySiret(s.F);
    expect(f?.stage).toBe('staff_review');
    expect((await app.deps.store.history.list(f!.id)).map((e) => e.type)).toContain('network_member_removed');
    const audit = await app.deps.store.audit.list({ entity: `application:${f!.id}` });
    expect(audit.map((c) => c.what)).toContain('network.member_removed');
    const list = await app.call('GET', '/api/console/networks', { token: alice.token });
    expect(list.body.notices.filter((n: { networkId: string }) => n.networkId === networkId)).toHaveLength(2);
    const ack = await app.call('POST', `/api/console/networks/${networkId}/notices/${s.F}/acknowledge`, {
      token: alice.token,
    });
    expect(ack.status).toBe(200);
    const after = await app.call('GET', '/api/console/networks', { token: alice.token });
    expect(after.body.notices.filter((n: { networkId: string }) => n.networkId === networkId)).toHaveLength(1);
    const twice = await app.call('POST', `/api/console/networks/${networkId}/notices/${s.F}/acknowledge`, {
      token: alice.token,
    });
    expect(twice.status).toBe(404);
  });
});
