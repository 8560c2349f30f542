import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  ConflictError,
  NotFoundError,
  SiretAlreadyClaimedError,
} from '../../../shared/store/errors.js';
import { type TestDynamo, withDynalite } from '../../helpers/dynalite.js';
import { application } from './fixtures.js';

let db: TestDynamo;
beforeAll(async () => {
  db = await withDynalite();
});
afterAll(() => db.close());

describe('applications', () => {
  it('creates, reads by id and by SIRET, without layout attributes', async () => {
    const app = application({ siret: '11111111100011' });
    await db.store.applications.create(app);
    expect(await db.store.applications.get(app.id)).toEqual(app);
    expect(await db.store.applications.getBySiret('11111111100011')).toEqual(app);
    expect(await db.store.applications.get('missing')).toBeNull();
    expect(await db.store.applications.getBySiret('99999999999999')).toBeNull();
  });

  it('two concurrent submissions with one SIRET: exactly one application exists', async () => {
    const siret = '22222222200022';
    const a = application({ siret });
    const b = application({ siret });
    const results = await Promise.allSettled([db.store.applications.create(a), db.store.applications.create(b)]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    const err = failed[0]?.reason as SiretAlreadyClaimedError;
    expect(err).toBeInstanceOf(SiretAlreadyClaimedError);
    expect(err.name).toBe('SiretAlreadyClaimedError');
    const holder = await db.store.applications.getBySiret(siret);
    expect(err.applicationId).toBe(holder?.id);
    const loser = holder?.id === a.id ? b : a;
    expect(await db.store.applications.get(loser.id)).toBeNull();
  });

  it('null SIRET skips the claim; a retried create of the same id is AlreadyExists and keeps the claim', async () => {
    await db.store.applications.create(application({ siret: null }));
    await db.store.applications.create(application({ siret: null }));
    const app = application({ siret: '33333333300033' });
    await db.store.applications.create(app);
    await expect(db.store.applications.create(app)).rejects.toBeInstanceOf(AlreadyExistsError);
    expect((await db.store.applications.getBySiret('33333333300033'))?.id).toBe(app.id);
  });

  it('applications.releaseSiret frees only a claim held by the given application', async () => {
    const app = application({ siret: '44444444400044' });
    await db.store.applications.create(app);
    expect(await db.store.applications.releaseSiret('44444444400044', 'someone-else')).toBe(false);
    expect(await db.store.applications.releaseSiret('44444444400044', app.id)).toBe(true);
    await db.store.applications.create(application({ siret: '44444444400044' }));
  });

  it('two concurrent updates with one version: one wins, the other ConflictError, item equals the winner', async () => {
    const app = application();
    await db.store.applications.create(app);
    const results = await Promise.allSettled([
      db.store.applications.update(app.id, 1, { stage: 'staff_review', updatedAt: '2026-11-02T11:00:00.000Z' }),
      db.store.applications.update(app.id, 1, { stage: 'waitlisted', updatedAt: '2026-11-02T11:00:01.000Z' }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.reason).toBeInstanceOf(ConflictError);
    expect(lost[0]?.reason).toMatchObject({ id: app.id, expectedVersion: 1, name: 'ConflictError' });
    const winner = (won[0] as PromiseFulfilledResult<unknown>).value;
    const stored = await db.store.applications.get(app.id);
    expect(stored).toEqual(winner);
    expect(stored?.version).toBe(2);
  });

  it('a stale version leaves the item unchanged; a missing item is NotFoundError', async () => {
    const app = application();
    await db.store.applications.create(app);
    const v2 = await db.store.applications.update(app.id, 1, { status: 'needs_human_review' });
    await expect(db.store.applications.update(app.id, 1, { status: 'redirect' })).rejects.toBeInstanceOf(ConflictError);
    expect(await db.store.applications.get(app.id)).toEqual(v2);
    await expect(db.store.applications.update('nope', 1, { status: 'redirect' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses to patch id, version, siret or layout attributes', async () => {
    const app = application();
    await db.store.applications.create(app);
    await expect(db.store.applications.update(app.id, 1, { siret: 'x' } as never)).rejects.toThrow(/siret/);
    await expect(db.store.applications.update(app.id, 1, { gsi3pk: 'x' } as never)).rejects.toThrow(/gsi3pk/);
  });

  it('lists active applications (non-terminal stages) and drops them at a terminal stage', async () => {
    const a = application({ stage: 'staff_review' });
    const b = application({ stage: 'waitlisted' });
    await db.store.applications.create(a);
    await db.store.applications.create(b);
    let active = await db.store.applications.listActive();
    expect(active.map((x) => x.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await db.store.applications.listActive({ stage: 'waitlisted' })).map((x) => x.id)).toContain(b.id);
    expect((await db.store.applications.listActive({ stage: 'waitlisted' })).map((x) => x.id)).not.toContain(a.id);
    await db.store.applications.update(a.id, 1, { stage: 'qualified' });
    active = await db.store.applications.listActive();
    expect(active.map((x) => x.id)).not.toContain(a.id);
    expect(active.map((x) => x.id)).toContain(b.id);
    const created = application({ stage: 'not_eligible' });
    await db.store.applications.create(created);
    expect((await db.store.applications.listActive()).map((x) => x.id)).not.toContain(created.id);
  });
});
