import { randomBytes } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../shared/store/errors.js';
import { keys } from '../../../shared/store/keys.js';
import { type TestDynamo, withDynalite } from '../../helpers/dynalite.js';

let db: TestDynamo;
let now = new Date('2026-11-02T10:00:00.000Z');
beforeAll(async () => {
  db = await withDynalite({ storeOptions: { now: () => now } });
});
afterAll(() => db.close());

describe('places', () => {
  it('lists all places in one query, or one département; places.replace replaces', async () => {
    await db.store.places.replace('p-app-1', [
      { departement: '75', place: { nom: 'A' } },
      { departement: '13', place: { nom: 'B' } },
      { departement: '75', place: { nom: 'C' } },
    ]);
    await db.store.places.replace('p-app-2', [{ departement: '2A', place: { nom: 'D' } }]);
    expect((await db.store.places.list()).map((p) => p.place.nom)).toEqual(['B', 'D', 'A', 'C']);
    expect((await db.store.places.list({ departement: '75' })).map((p) => p.place.nom)).toEqual(['A', 'C']);
    expect(await db.store.places.list({ departement: '2' })).toEqual([]);
    const [a] = await db.store.places.list({ departement: '13' });
    expect(a).toEqual({
      applicationId: 'p-app-1',
      n: 1,
      departement: '13',
      place: { nom: 'B' },
      publishedAt: now.toISOString(),
    });
    await db.store.places.replace('p-app-1', [{ departement: '75', place: { nom: 'A2' } }]);
    expect((await db.store.places.list()).map((p) => p.place.nom)).toEqual(['D', 'A2']);
    await db.store.places.replace('p-app-2', []);
    expect((await db.store.places.list()).map((p) => p.place.nom)).toEqual(['A2']);
  });

  it('batch-writes more than 25 places', async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ departement: '69', place: { nom: `L${i}` } }));
    await db.store.places.replace('p-app-3', many);
    expect(await db.store.places.list({ departement: '69' })).toHaveLength(60);
  });
});

describe('dialog state and sessions', () => {
  it('a dialog state expires on read (dynalite never deletes TTL items)', async () => {
    now = new Date('2026-11-02T10:00:00.000Z');
    const saved = await db.store.dialogs.put('conv-1', { step: 'siret', answers: { nom: 'X' } }, 60, 0);
    expect(saved.expiresAt).toBe(Math.floor(now.getTime() / 1000) + 60);
    expect((await db.store.dialogs.get('conv-1'))?.state).toEqual({ step: 'siret', answers: { nom: 'X' } });
    now = new Date('2026-11-02T10:01:01.000Z');
    expect(await db.store.dialogs.get('conv-1')).toBeNull();
    // Expired reads as nothing, so the next write expects version 0 (the expired item is replaced).
    await db.store.dialogs.put('conv-1', { step: 'again' }, 3600, 0);
    expect((await db.store.dialogs.get('conv-1'))?.state).toEqual({ step: 'again' });
    await db.store.dialogs.delete('conv-1');
    expect(await db.store.dialogs.get('conv-1')).toBeNull();
  });

  it('a dialog write is conditional on the version read (optimistic locking)', async () => {
    now = new Date('2026-11-02T10:00:00.000Z');
    const first = await db.store.dialogs.put('conv-2', { n: 1 }, 3600, 0);
    expect(first.version).toBe(1);
    expect((await db.store.dialogs.get('conv-2'))?.version).toBe(1);
    // Two writers that both read version 1: the first wins, the second gets ConflictError and writes nothing.
    expect((await db.store.dialogs.put('conv-2', { n: 2 }, 3600, 1)).version).toBe(2);
    await expect(db.store.dialogs.put('conv-2', { n: 3 }, 3600, 1)).rejects.toBeInstanceOf(ConflictError);
    await expect(db.store.dialogs.put('conv-2', { n: 3 }, 3600, 0)).rejects.toBeInstanceOf(ConflictError);
    expect(await db.store.dialogs.get('conv-2')).toMatchObject({ state: { n: 2 }, version: 2 });
  });

  it('a dialog item written before versions existed loads as version 0 and is taken over once', async () => {
    now = new Date('2026-11-02T10:00:00.000Z');
    const legacy = {
      pk: 'DIALOG#conv-old',
      sk: 'DIALOG',
      type: 'dialog',
      conversationId: 'conv-old',
      state: { old: true },
      updatedAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + 3600,
    };
    await db.doc.send(new PutCommand({ TableName: db.tableName, Item: legacy }));
    expect(await db.store.dialogs.get('conv-old')).toMatchObject({ state: { old: true }, version: 0 });
    expect((await db.store.dialogs.put('conv-old', { old: false }, 3600, 0)).version).toBe(1);
    await expect(db.store.dialogs.put('conv-old', { old: 'again' }, 3600, 0)).rejects.toBeInstanceOf(ConflictError);
  });

  it('sessions expire on read and can be deleted', async () => {
    now = new Date('2026-11-02T10:00:00.000Z');
    const expiresAt = Math.floor(now.getTime() / 1000) + 3600;
    await db.store.sessions.put({
      tokenHash: 'h1',
      kind: 'staff',
      subject: 'ana@example.fr',
      createdAt: 'x',
      expiresAt,
    });
    expect(await db.store.sessions.get('h1')).toMatchObject({ subject: 'ana@example.fr', expiresAt });
    now = new Date('2026-11-02T11:00:01.000Z');
    expect(await db.store.sessions.get('h1')).toBeNull();
    await db.store.sessions.delete('h1');
    now = new Date('2026-11-02T10:00:00.000Z');
    expect(await db.store.sessions.get('h1')).toBeNull();
  });

  it('a staff session and its account come back together, only for the account the session names', async () => {
    now = new Date('2026-11-02T10:00:00.000Z');
    const expiresAt = Math.floor(now.getTime() / 1000) + 3600;
    await db.store.staff.put({
      email: 'eve@example.fr',
      role: 'reviewer',
      passwordHash: 'scrypt$x',
      createdAt: 'x',
      disabled: false,
    } as never);
    await db.store.sessions.put({
      tokenHash: 'h2',
      kind: 'staff',
      subject: 'eve@example.fr',
      createdAt: 'x',
      expiresAt,
    });
    const both = await db.store.sessions.getWithAccount('h2', 'Eve@Example.fr');
    expect(both.session).toMatchObject({ subject: 'eve@example.fr' });
    expect(both.account).toMatchObject({ email: 'eve@example.fr', role: 'reviewer' });
    // A token naming another account does not borrow this session.
    expect((await db.store.sessions.getWithAccount('h2', 'ana@example.fr')).session).toBeNull();
    now = new Date('2026-11-02T11:00:01.000Z');
    expect((await db.store.sessions.getWithAccount('h2', 'eve@example.fr')).session).toBeNull();
    expect(await db.store.sessions.getWithAccount('nope', 'nobody@example.fr')).toEqual({
      session: null,
      account: null,
    });
    // Leave the staff listing of the next block as it expects it.
    await db.store.client.send(new DeleteCommand({ TableName: db.store.tableName, Key: keys.staff('eve@example.fr') }));
  });
});

describe('counters per département', () => {
  it('admits exactly `cap` of many concurrent requests', async () => {
    const results = await Promise.all(Array.from({ length: 25 }, () => db.store.counters.incrementUpTo('971', 10)));
    expect(results.filter(Boolean)).toHaveLength(10);
    expect(await db.store.counters.get('971')).toBe(10);
    expect(await db.store.counters.incrementUpTo('971', 10)).toBe(false);
    expect(await db.store.counters.incrementUpTo('971', 11)).toBe(true);
    expect(await db.store.counters.decrement('971')).toBe(true);
    expect(await db.store.counters.get('971')).toBe(10);
    expect(await db.store.counters.incrementUpTo('972', 0)).toBe(false);
    expect(await db.store.counters.decrement('972')).toBe(false);
    expect(await db.store.counters.get('972')).toBe(0);
  });
});

describe('campaigns, networks, staff, outbox, config, audit', () => {
  it('campaigns by code and listed', async () => {
    await db.store.campaigns.put({ code: 'tour-lyon', kind: 'tour', territory: '69', createdAt: 'x' });
    await db.store.campaigns.put({
      code: 'webinar-1',
      kind: 'webinar',
      createdAt: 'x',
      endsAt: '2026-12-01T00:00:00Z',
    });
    expect(await db.store.campaigns.get('tour-lyon')).toEqual({
      code: 'tour-lyon',
      kind: 'tour',
      territory: '69',
      createdAt: 'x',
    });
    expect(await db.store.campaigns.get('nope')).toBeNull();
    expect((await db.store.campaigns.list()).map((c) => c.code)).toEqual(['tour-lyon', 'webinar-1']);
  });

  it('networks, members by SIRET (batch import), members by network', async () => {
    await db.store.networks.put({
      id: 'n1',
      name: 'Réseau B',
      createdAt: 'x',
      updatedAt: 'x',
      agreement: { scope: 'staff_review' },
    });
    await db.store.networks.put({ id: 'n2', name: 'Réseau A', createdAt: 'x', updatedAt: 'x' });
    expect((await db.store.networks.list()).map((n) => n.id)).toEqual(['n2', 'n1']);
    expect((await db.store.networks.get('n1'))?.agreement).toEqual({ scope: 'staff_review' });
    const members = Array.from({ length: 40 }, (_, i) => ({
      siret: String(10000000000000 + i),
      name: `M${i}`,
      importedAt: 'x',
    }));
    await db.store.networks.putMembers('n1', members);
    await db.store.networks.putMembers('n2', [{ siret: '10000000000003', importedAt: 'x' }]);
    expect(await db.store.networks.listMembers('n1')).toHaveLength(40);
    const of3 = await db.store.networks.membershipsOf('10000000000003');
    expect(of3.map((m) => m.networkId).sort()).toEqual(['n1', 'n2']);
    expect(await db.store.networks.membershipsOf('99999999999999')).toEqual([]);
  });

  it('staff accounts by e-mail (case-insensitive), listed; bootstrap only if absent', async () => {
    const account = { email: 'Ana@Example.fr', role: 'admin' as const, passwordHash: 'h', createdAt: 'x' };
    expect(await db.store.staff.put(account, { onlyIfAbsent: true })).toBe(true);
    expect(await db.store.staff.put({ ...account, passwordHash: 'other' }, { onlyIfAbsent: true })).toBe(false);
    expect(await db.store.staff.get('ana@example.fr')).toMatchObject({ email: 'ana@example.fr', passwordHash: 'h' });
    await db.store.staff.put({ email: 'bob@example.fr', role: 'reviewer', createdAt: 'x' });
    expect((await db.store.staff.list()).map((a) => a.email)).toEqual(['ana@example.fr', 'bob@example.fr']);
  });

  it('outbox messages: deterministic key, per application, recent first globally', async () => {
    const m = (applicationId: string, key: string, at: string) => ({
      applicationId,
      key,
      at,
      subject: 's',
      text: 't',
      channel: 'outbox',
      delivered: false,
    });
    expect(await db.store.outbox.putIfAbsent(m('o1', 'r1#waitlisted', '2026-11-02T10:00:00Z'))).toBe(true);
    expect(await db.store.outbox.putIfAbsent(m('o1', 'r1#staff_review', '2026-11-02T11:00:00Z'))).toBe(true);
    // A retried Task writes the same key again: refused, nothing duplicated.
    expect(await db.store.outbox.putIfAbsent(m('o1', 'r1#waitlisted', '2026-11-02T10:00:00Z'))).toBe(false);
    expect(await db.store.outbox.putIfAbsent(m('o2', 'r1#qualified', '2026-11-02T12:00:00Z'))).toBe(true);
    expect((await db.store.outbox.list('o1')).map((x) => x.key)).toEqual(['r1#waitlisted', 'r1#staff_review']);
    expect(await db.store.outbox.get('o1', 'r1#waitlisted')).toEqual(m('o1', 'r1#waitlisted', '2026-11-02T10:00:00Z'));
    expect(await db.store.outbox.get('o1', 'none')).toBeNull();
    expect((await db.store.outbox.listRecent(2)).map((x) => x.applicationId)).toEqual(['o2', 'o1']);
  });

  it('config overrides with optimistic locking', async () => {
    expect(await db.store.config.getOverrides()).toBeNull();
    const v1 = await db.store.config.putOverrides({ phases: { 2: true } }, 0, 'ana@example.fr');
    expect(v1.version).toBe(1);
    await expect(db.store.config.putOverrides({}, 0, 'bob@example.fr')).rejects.toBeInstanceOf(ConflictError);
    const v2 = await db.store.config.putOverrides({ phases: { 2: false } }, 1, 'bob@example.fr');
    await expect(db.store.config.putOverrides({}, 1, 'ana@example.fr')).rejects.toBeInstanceOf(ConflictError);
    expect(await db.store.config.getOverrides()).toEqual(v2);
  });

  it('records administrative changes: per entity and recent first', async () => {
    await db.store.audit.record({ who: 'ana', what: 'config.update', entity: 'config', at: '2026-11-02T10:00:00Z' });
    await db.store.audit.record({
      who: 'bob',
      what: 'staff.create',
      entity: 'staff:c@x.fr',
      at: '2026-11-02T10:05:00Z',
    });
    const r = await db.store.audit.record({
      who: 'ana',
      what: 'config.update',
      entity: 'config',
      at: '2026-11-02T10:10:00Z',
      id: 'fixed',
    });
    await db.store.audit.record({
      who: 'ana',
      what: 'config.update',
      entity: 'config',
      at: '2026-11-02T10:10:00Z',
      id: 'fixed',
    });
    expect(r.id).toBe('fixed');
    expect((await db.store.audit.list({ entity: 'config' })).map((c) => c.at)).toEqual([
      '2026-11-02T10:10:00Z',
      '2026-11-02T10:00:00Z',
    ]);
    expect((await db.store.audit.list({ limit: 2 })).map((c) => c.who)).toEqual(['ana', 'bob']);
  });
});

describe('trained FAQ models of published versions', () => {
  const kb = () => db.store.knowledgeBase;

  it('keeps a model of several parts whole, with its key; none for another version', async () => {
    // Random bytes do not compress: 1.2 MB is four parts of 350 KB, each item under DynamoDB's 400 KB (dynalite checks).
    const data = randomBytes(1_200_000);
    expect(await kb().putModel('v-parts', { key: 'k1', data })).toBe(true);
    const manifest = await db.store.client.send(
      new GetCommand({ TableName: db.tableName, Key: { pk: 'KB#v-parts', sk: 'MODEL' } }),
    );
    expect(manifest.Item).toMatchObject({ type: 'kb_model', key: 'k1', parts: 4 });
    const read = await kb().getModel('v-parts');
    expect(read?.key).toBe('k1');
    expect(Buffer.from(read!.data).equals(data)).toBe(true);
    expect(await kb().getModel('v-other')).toBeNull();
  });

  it('a rewrite replaces it; a missing or altered part, or an expired model, reads as none', async () => {
    await kb().putModel('v-bad', { key: 'old', data: randomBytes(800_000) });
    const small = Buffer.from('x'.repeat(10_000));
    await kb().putModel('v-bad', { key: 'new', data: small });
    const rewritten = await kb().getModel('v-bad');
    expect(rewritten?.key).toBe('new');
    expect(Buffer.from(rewritten!.data).equals(small)).toBe(true);

    await db.store.client.send(
      new PutCommand({
        TableName: db.tableName,
        Item: { pk: 'KB#v-bad', sk: 'MODEL#0000', type: 'kb_model_part', data: new Uint8Array([1, 2, 3]) },
      }),
    );
    expect(await kb().getModel('v-bad')).toBeNull(); // checksum

    await kb().putModel('v-gone', { key: 'k', data: randomBytes(400_000) });
    await db.store.client.send(
      new DeleteCommand({ TableName: db.tableName, Key: { pk: 'KB#v-gone', sk: 'MODEL#0001' } }),
    );
    expect(await kb().getModel('v-gone')).toBeNull();

    await kb().putModel('v-old', { key: 'k', data: small });
    const before = now;
    now = new Date(now.getTime() + 31 * 24 * 3600 * 1000);
    try {
      expect(await kb().getModel('v-old')).toBeNull();
    } finally {
      now = before;
    }
  });

  it('refuses to store a model beyond 100 parts (the instances train it themselves)', async () => {
    expect(await kb().putModel('v-huge', { key: 'k', data: randomBytes(36_000_000) })).toBe(false);
    expect(await kb().getModel('v-huge')).toBeNull();
  });
});
