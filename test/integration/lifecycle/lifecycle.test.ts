import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationItem, Stage } from '../../../shared/store/store.js';
import { notifyStage } from '../../../shared/usecases/notify.js';
import { hashToken, newActorToken } from '../../../shared/usecases/principal.js';
import { runRetention } from '../../../shared/usecases/retention.js';
import { type Outcome, recordOutcomeStep } from '../../../shared/usecases/workflow.js';
import { type ConsoleApp, makeSiret, startConsoleApp } from '../console/harness.js';
import { seedApplication } from '../console/seed.js';

/**
 * Lifecycle hygiene over the real HTTP server and dynalite (lite mode: the Step Functions client records calls):
 * SIRET release and slot return per ending, staff suspend / reinstate / withdraw, erasure, export, retention.
 */
let app: ConsoleApp;
let admin: { email: string; token: string };
let reviewer: { email: string; token: string };

const DAY = 86_400_000;

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  admin = await app.staff('admin');
  reviewer = await app.staff('reviewer');
});
afterAll(() => app?.close());

/** A seeded application with a real actor token (the seed stores a placeholder hash). */
async function seeded(stage: Stage, o: Parameters<typeof seedApplication>[1] = {}) {
  const { app: item, taskId } = await seedApplication(app.deps, { stage, ...o });
  const actorToken = newActorToken(app.deps, item.id);
  const updated = await app.deps.store.applications.update(item.id, item.version, {
    actorTokenHash: hashToken(actorToken),
  });
  return { item: updated, actorToken, taskId };
}

/** As the evaluation does: one slot of the département's cap, recorded on the application. */
async function admit(item: ApplicationItem, dep: string): Promise<ApplicationItem> {
  expect(await app.deps.store.counters.incrementUpTo(dep, 1000)).toBe(true);
  return app.deps.store.applications.update(item.id, item.version, { admittedIn: dep });
}

const claimed = async (siret: string) => (await app.deps.store.applications.getBySiret(siret))?.id ?? null;

describe('SIRET release and slot return when an application ends without qualification', () => {
  it.each<[Outcome, boolean, Stage]>([
    ['not_eligible', true, 'submitted'],
    ['expired', true, 'staff_review'],
    ['rejected', false, 'staff_review'],
  ])('%s: SIRET released at once: %s; slot given back', async (outcome, releasedAtOnce, from) => {
    const dep = { not_eligible: '23', expired: '19', rejected: '24' }[outcome];
    const { item } = await seeded(from, { departements: [dep] });
    const before = await app.deps.store.counters.get(dep);
    await admit(item, dep);
    await recordOutcomeStep(app.deps, item.id, outcome);
    await recordOutcomeStep(app.deps, item.id, outcome); // a retried Task gives nothing back twice
    const after = (await app.deps.store.applications.get(item.id))!;
    expect(after.stage).toBe(outcome);
    expect(after.admittedIn).toBeNull();
    expect(after.endedAt).toEqual(expect.any(String));
    expect(await app.deps.store.counters.get(dep)).toBe(before);
    expect(await claimed(item.siret!)).toBe(releasedAtOnce ? null : item.id);
    expect(Boolean(after.siretReleasedAt)).toBe(releasedAtOnce);
  });

  it('staff release a rejected application’s SIRET earlier (admin only, audited, in the history)', async () => {
    const { item } = await seeded('staff_review');
    await recordOutcomeStep(app.deps, item.id, 'rejected');
    const path = `/api/console/applications/${item.id}/release-siret`;
    expect((await app.call('POST', path, { token: reviewer.token, body: {} })).status).toBe(403);
    const res = await app.call('POST', path, { token: admin.token, body: { reason: 'Erreur de saisie du SIRET.' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: item.id, siretReleased: true });
    expect(await claimed(item.siret!)).toBeNull();
    const audit = await app.deps.store.audit.list({ entity: `application:${item.id}` });
    expect(audit.map((a) => [a.what, a.who])).toEqual([['siret.release', admin.email]]);
    const history = await app.deps.store.history.list(item.id);
    expect(history.at(-1)).toMatchObject({ type: 'siret_released', actor: { kind: 'staff', id: admin.email } });
    // Released: a new application with that SIRET goes through; a second release says nothing was left to free.
    expect((await app.call('POST', path, { token: admin.token, body: {} })).body.siretReleased).toBe(false);
    const running = await seeded('staff_review');
    const refused = await app.call('POST', `/api/console/applications/${running.item.id}/release-siret`, {
      token: admin.token,
      body: {},
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('wrong_stage');
  });
});

describe('staff suspend, reinstate and withdraw a qualification', () => {
  it('places leave /api/lieux and come back; the actor is told; the history keeps who and why', async () => {
    const { item } = await seeded('qualified', { nom: 'Suspendue SARL' });
    const onMap = async () =>
      ((await app.call('GET', '/api/lieux')).body as { structure_parente: string }[]).filter(
        (r) => r.structure_parente === 'Suspendue SARL',
      ).length;
    expect(await onMap()).toBe(1);
    const base = `/api/console/applications/${item.id}`;
    expect(
      (await app.call('POST', `${base}/suspend`, { token: reviewer.token, body: { reason: 'x'.repeat(10) } })).status,
    ).toBe(403);
    const missing = await app.call('POST', `${base}/suspend`, { token: admin.token, body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.fields[0].path).toBe('reason');

    const reason = 'Manquement à la Charte : tarif facturé au public.';
    const suspended = await app.call('POST', `${base}/suspend`, { token: admin.token, body: { reason } });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toEqual({ id: item.id, stage: 'suspended' });
    expect(await onMap()).toBe(0);
    const messages = await app.deps.store.outbox.list(item.id);
    expect(messages.at(-1)).toMatchObject({ stage: 'suspended', subject: expect.stringContaining('suspendue') });
    expect(messages.at(-1)!.text).toContain(reason);
    const history = await app.deps.store.history.list(item.id);
    expect(history.at(-1)).toMatchObject({
      type: 'suspended',
      comment: reason,
      actor: { kind: 'staff', id: admin.email },
    });
    expect((await app.deps.store.applications.get(item.id))!.suspension).toMatchObject({ by: admin.email, reason });
    // Still holds its SIRET and slot: a suspension is not an end.
    expect(await claimed(item.siret!)).toBe(item.id);

    expect((await app.call('POST', `${base}/reinstate`, { token: admin.token, body: {} })).body.stage).toBe(
      'qualified',
    );
    expect(await onMap()).toBe(1);

    const withdrawn = await app.call('POST', `${base}/withdraw`, {
      token: admin.token,
      body: { reason: 'Fin du contrat.' },
    });
    expect(withdrawn.body.stage).toBe('withdrawn');
    expect(await onMap()).toBe(0);
    expect(await claimed(item.siret!)).toBeNull();
    const again = await app.call('POST', `${base}/suspend`, { token: admin.token, body: { reason } });
    expect(again.status).toBe(409);
    const audit = await app.deps.store.audit.list({ entity: `application:${item.id}` });
    expect(audit.map((a) => a.what).sort()).toEqual(
      ['qualification.reinstate', 'qualification.suspend', 'qualification.withdraw'].sort(),
    );
  });
});

/** Every personal value of the seeded document (test/helpers/fixtures.ts) and of the comments written below. */
const PERSONAL = [
  'Claire Martin',
  'claire.martin@clic-solidaire.fr',
  '+33555000000',
  '12 rue des Lilas',
  'Beaubreuil',
  'Clic Solidaire',
  'Jeanne Dupont',
  '06 12 34 56 78',
];

/** A rich application: chat conversation, messages, internal note, decision comment addressed to the actor. */
async function richApplication() {
  const siret = makeSiret(7);
  const { item, actorToken, taskId } = await seeded('staff_review', { siret });
  const conversationId = `conv-${item.id}`;
  let current = await app.deps.store.applications.update(item.id, item.version, {
    source: 'chat',
    idempotencyKey: `${conversationId}#1`,
  });
  await app.deps.store.dialogs.put(
    conversationId,
    {
      chat: {
        draft: { structure: { nom: 'Clic Solidaire', representant_nom: 'Claire Martin' } },
        application: { id: item.id, actorToken },
        transcript: ['Bonjour, je suis Jeanne Dupont, 06 12 34 56 78'],
      },
    },
    3600,
    0,
  );
  await notifyStage(app.deps, current, 'staff_review', 1);
  const note = await app.call('POST', `/api/console/applications/${item.id}/comments`, {
    token: reviewer.token,
    body: { comment: 'Note interne : appeler Jeanne Dupont au 06 12 34 56 78.' },
  });
  expect(note.status).toBe(201);
  const decided = await app.call('POST', `/api/console/tasks/${taskId}/decision`, {
    token: reviewer.token,
    body: { decision: 'request_changes', comment: 'Madame Claire Martin, merci de préciser vos horaires.' },
  });
  expect(decided.status).toBe(200);
  current = (await app.deps.store.applications.get(item.id))!;
  return { item: current, actorToken, taskId: taskId!, conversationId, siret };
}

describe('my data: export', () => {
  it('the actor downloads everything held, without staff internal notes; another actor gets 403', async () => {
    const { item, actorToken, conversationId } = await richApplication();
    const res = await app.call('GET', `/api/applications/${item.id}/export`, { token: actorToken });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    expect(res.body.document.structure.representant_legal.nom).toBe('Claire Martin');
    expect(res.body.application).toMatchObject({ id: item.id, stage: 'staff_review' });
    expect(res.body.messages.length).toBeGreaterThan(0);
    expect(res.body.places).toEqual([]);
    expect(res.body.conversation.conversationId).toBe(conversationId);
    expect(res.text).not.toContain(actorToken); // the token in the chat state is not exported
    expect(res.text).not.toContain('Note interne');
    expect(res.body.history.map((e: { type: string }) => e.type)).not.toContain('comment');
    expect(res.text).toContain('merci de préciser vos horaires'); // a decision's comment is addressed to the actor
    // The actor's view of the application hides internal notes the same way; staff see them.
    const view = await app.call('GET', `/api/applications/${item.id}`, { token: actorToken });
    expect(view.text).not.toContain('Note interne');
    const staffView = await app.call('GET', `/api/applications/${item.id}`, { token: reviewer.token });
    expect(staffView.text).toContain('Note interne');
    expect((await app.call('GET', `/api/applications/${item.id}/export`, { token: reviewer.token })).status).toBe(200);

    const other = await seeded('staff_review');
    expect((await app.call('GET', `/api/applications/${item.id}/export`, { token: other.actorToken })).status).toBe(
      403,
    );
    expect((await app.call('POST', `/api/applications/${item.id}/erasure`, { token: other.actorToken })).status).toBe(
      403,
    );
    expect((await app.call('GET', `/api/applications/${item.id}/export`)).status).toBe(401);
  });
});

/** Every item that could hold the application's data, as JSON strings. */
async function everything(item: ApplicationItem, conversationId: string, siret: string) {
  const partition = await app.deps.store.applications.partition(item.id);
  const outbox = (await app.deps.store.outbox.listRecent(200)).filter((m) => m.applicationId === item.id);
  const tasks = await app.deps.store.tasks.list(item.id);
  const dialog = await app.deps.store.dialogs.getRaw(conversationId);
  const claim = await app.deps.store.applications.getBySiret(siret);
  return { partition, outbox, tasks, dialog, claim };
}

describe('erasure', () => {
  it('a running application: erased at once, execution stopped, no personal field left anywhere', async () => {
    const { item, actorToken, conversationId, siret } = await richApplication();
    const before = JSON.stringify(await everything(item, conversationId, siret));
    for (const p of ['Claire Martin', 'Jeanne Dupont', 'claire.martin@clic-solidaire.fr']) expect(before).toContain(p);

    const res = await app.call('POST', `/api/applications/${item.id}/erasure`, { token: actorToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'erased', message: expect.stringContaining('effacées') });
    const stop = app.sfnCalls.find((c) => c.name === 'StopExecutionCommand' && c.input.executionArn.endsWith(item.id));
    expect(stop?.input.executionArn).toBe(`arn:aws:states:eu-west-3:000000000000:execution:test:${item.id}`);

    const after = await everything(item, conversationId, siret);
    expect(after.dialog).toBeNull();
    expect(after.claim).toBeNull();
    expect(after.partition.length).toBeGreaterThan(0);
    const digits = siret.replace(/\D/g, '');
    for (const [where, items] of Object.entries({ ...after, partition: after.partition, outbox: after.outbox })) {
      const text = JSON.stringify(items) ?? '';
      for (const p of [...PERSONAL, digits, 'Note interne', 'horaires', actorToken]) {
        expect(text, `${where} still holds « ${p} »`).not.toContain(p);
      }
    }
    // What stays: anonymous counts, and a history that says an erasure happened.
    const kept = (await app.deps.store.applications.get(item.id))!;
    expect(kept).toMatchObject({ stage: 'withdrawn', route: 'libre', departements: ['87'], siret: null });
    expect(kept.erasedAt).toEqual(expect.any(String));
    const history = await app.deps.store.history.list(item.id);
    expect(history.at(-1)).toMatchObject({ type: 'erased', actor: { kind: 'actor' } });
    expect(history.every((e) => e.comment === undefined && e.data === undefined)).toBe(true);
    expect((await app.deps.store.tasks.list(item.id)).every((t) => t.status !== 'open')).toBe(true);
    // The actor token no longer opens anything; a second request (by staff) says it is done.
    expect((await app.call('GET', `/api/applications/${item.id}`, { token: actorToken })).status).toBe(401);
    const twice = await app.call('POST', `/api/applications/${item.id}/erasure`, { token: admin.token });
    expect(twice.status).toBe(200);
  });

  it('a qualified application: a staff task due in 30 days; an admin carries it out', async () => {
    const { item, actorToken } = await seeded('qualified', { nom: 'Qualifiée à effacer' });
    const res = await app.call('POST', `/api/applications/${item.id}/erasure`, { token: actorToken });
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('pending');
    const due = Date.parse(res.body.dueAt) - Date.now();
    expect(due).toBeGreaterThan(29 * DAY);
    expect(due).toBeLessThanOrEqual(30 * DAY);
    expect(res.body.message).toMatch(/au plus tard le \d{2}\/\d{2}\/\d{4}/);
    const list = await app.call('GET', '/api/console/erasures', { token: reviewer.token });
    expect(list.body.erasures).toContainEqual(
      expect.objectContaining({ applicationId: item.id, dueAt: res.body.dueAt }),
    );
    // Not erased yet: still qualified, still on the map.
    expect((await app.deps.store.applications.get(item.id))!.stage).toBe('qualified');
    expect((await app.call('POST', `/api/applications/${item.id}/erasure`, { token: reviewer.token })).status).toBe(
      403,
    );
    const done = await app.call('POST', `/api/applications/${item.id}/erasure`, { token: admin.token });
    expect(done.status).toBe(200);
    const rows = (await app.call('GET', '/api/lieux')).text;
    expect(rows).not.toContain('Qualifiée à effacer');
    expect(
      (await app.call('GET', '/api/console/erasures', { token: reviewer.token })).body.erasures,
    ).not.toContainEqual(expect.objectContaining({ applicationId: item.id }));
    expect((await app.deps.store.applications.get(item.id))!.stage).toBe('withdrawn');
  });
});

describe('retention job (moved clock)', () => {
  it('releases held SIRETs, deletes idle conversations and expired sessions, anonymises old ended applications; idempotent', async () => {
    const t0 = Date.now();
    const at = (days: number, hours = 0) => ({
      ...app.deps,
      clock: () => new Date(t0 + days * DAY + hours * 3_600_000),
    });
    const rejected = await seeded('staff_review', { nom: 'Refusée retenue' });
    await recordOutcomeStep(app.deps, rejected.item.id, 'rejected');
    const ended = await seeded('submitted', { nom: 'Non éligible ancienne' });
    await recordOutcomeStep(app.deps, ended.item.id, 'not_eligible');
    const conversation = `idle-${rejected.item.id}`;
    await app.deps.store.dialogs.put(conversation, { draft: { representant_nom: 'Claire Martin' } }, 3600, 0);
    const sessionHash = `test-session-${rejected.item.id}`;
    await app.deps.store.sessions.put({
      tokenHash: sessionHash,
      kind: 'staff',
      subject: 'someone@aptic.test',
      createdAt: new Date(t0).toISOString(),
      expiresAt: Math.floor(t0 / 1000) + 3600,
    });

    await runRetention(at(0));
    expect(await claimed(rejected.item.siret!)).toBe(rejected.item.id);
    expect(await app.deps.store.dialogs.getRaw(conversation)).not.toBeNull();
    expect(await app.deps.store.sessions.get(sessionHash)).not.toBeNull();

    // Two hours later the session has expired: it goes (dynalite keeps expired items; the job is the guarantee).
    await runRetention(at(0, 2));
    expect(await app.deps.store.expiring.listExpired(new Date(t0 + 2 * 3_600_000))).not.toContainEqual(
      expect.objectContaining({ pk: `SESSION#${sessionHash}` }),
    );

    const r91 = await runRetention(at(91));
    expect(r91.sirets).toBeGreaterThanOrEqual(1);
    expect(await claimed(rejected.item.siret!)).toBeNull();
    expect((await app.deps.store.applications.get(rejected.item.id))!.siretReleasedAt).toEqual(expect.any(String));
    expect(await app.deps.store.dialogs.getRaw(conversation)).not.toBeNull();

    await runRetention(at(184));
    expect(await app.deps.store.dialogs.getRaw(conversation)).toBeNull();
    expect((await app.deps.store.applications.get(ended.item.id))!.erasedAt).toBeUndefined();

    const r731 = await runRetention(at(731));
    expect(r731.anonymised).toBeGreaterThanOrEqual(2);
    for (const id of [rejected.item.id, ended.item.id]) {
      const kept = (await app.deps.store.applications.get(id))!;
      expect(kept.erasedAt).toEqual(expect.any(String));
      const text = JSON.stringify(await app.deps.store.applications.partition(id));
      for (const p of PERSONAL) expect(text).not.toContain(p);
    }
    const again = await runRetention(at(731));
    expect(again).toEqual({ conversations: 0, sirets: 0, anonymised: 0, expired: 0, supportRequests: 0, failed: 0 });
  });
});
