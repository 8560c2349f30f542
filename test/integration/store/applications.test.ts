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
    await db.store.createApplication(app);
    expect(await db.store.getApplication(app.id)).toEqual(app);
    expect(await db.store.getApplicationBySiret('11111111100011')).toEqual(app);
    expect(await db.store.getApplication('missing')).toBeNull();
    expect(await db.store.getApplicationBySiret('99999999999999')).toBeNull();
  });

  it('two concurrent submissions with one SIRET: exactly one application exists', async () => {
    const siret = '22222222200022';
    const a = application({ siret });
    const b = application({ siret });
    const results = await Promise.allSettled([db.store.createApplication(a), db.store.createApplication(b)]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    const err = failed[0]?.reason as SiretAlreadyClaimedError;
    expect(err).toBeInstanceOf(SiretAlreadyClaimedError);
    expect(err.name).toBe('SiretAlreadyClaimedError');
    const holder = await db.store.getApplicationBySiret(siret);
    expect(err.applicationId).toBe(holder?.id);
    const loser = holder?.id === a.id ? b : a;
    expect(await db.store.getApplication(loser.id)).toBeNull();
  });

  it('null SIRET skips the claim; a retried create of the same id is AlreadyExists and keeps the claim', async () => {
    await db.store.createApplication(application({ siret: null }));
    await db.store.createApplication(application({ siret: null }));
    const app = application({ siret: '33333333300033' });
    await db.store.createApplication(app);
    await expect(db.store.createApplication(app)).rejects.toBeInstanceOf(AlreadyExistsError);
    expect((await db.store.getApplicationBySiret('33333333300033'))?.id).toBe(app.id);
  });

  it('releaseSiret frees only a claim held by the given application', async () => {
    const app = application({ siret: '44444444400044' });
    await db.store.createApplication(app);
    expect(await db.store.releaseSiret('44444444400044', 'someone-else')).toBe(false);
    expect(await db.store.releaseSiret('44444444400044', app.id)).toBe(true);
    await db.store.createApplication(application({ siret: '44444444400044' }));
  });

  it('two concurrent updates with one version: one wins, the other ConflictError, item equals the winner', async () => {
    const app = application();
    await db.store.createApplication(app);
    const results = await Promise.allSettled([
      db.store.updateApplication(app.id, 1, { stage: 'staff_review', updatedAt: '2026-11-02T11:00:00.000Z' }),
      db.store.updateApplication(app.id, 1, { stage: 'waitlisted', updatedAt: '2026-11-02T11:00:01.000Z' }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.reason).toBeInstanceOf(ConflictError);
    expect(lost[0]?.reason).toMatchObject({ id: app.id, expectedVersion: 1, name: 'ConflictError' });
    const winner = (won[0] as PromiseFulfilledResult<unknown>).value;
    const stored = await db.store.getApplication(app.id);
    expect(stored).toEqual(winner);
    expect(stored?.version).toBe(2);
  });

  it('a stale version leaves the item unchanged; a missing item is NotFoundError', async () => {
    const app = application();
    await db.store.createApplication(app);
    const v2 = await db.store.updateApplication(app.id, 1, { status: 'needs_human_review' });
    await expect(db.store.updateApplication(app.id, 1, { status: 'redirect' })).rejects.toBeInstanceOf(ConflictError);
    expect(await db.store.getApplication(app.id)).toEqual(v2);
    await expect(db.store.updateApplication('nope', 1, { status: 'redirect' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses to patch id, version, siret or layout attributes', async () => {
    const app = application();
    await db.store.createApplication(app);
    await expect(db.store.updateApplication(app.id, 1, { siret: 'x' } as never)).rejects.toThrow(/siret/);
    await expect(db.store.updateApplication(app.id, 1, { gsi3pk: 'x' } as never)).rejects.toThrow(/gsi3pk/);
  });

  it('lists active applications (non-terminal stages) and drops them at a terminal stage', async () => {
    const a = application({ stage: 'staff_review' });
    const b = application({ stage: 'waitlisted' });
    await db.store.createApplication(a);
    await db.store.createApplication(b);
    let active = await db.store.listActiveApplications();
    expect(active.map((x) => x.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await db.store.listActiveApplications({ stage: 'waitlisted' })).map((x) => x.id)).toContain(b.id);
    expect((await db.store.listActiveApplications({ stage: 'waitlisted' })).map((x) => x.id)).not.toContain(a.id);
    await db.store.updateApplication(a.id, 1, { stage: 'qualified' });
    active = await db.store.listActiveApplications();
    expect(active.map((x) => x.id)).not.toContain(a.id);
    expect(active.map((x) => x.id)).toContain(b.id);
    const created = application({ stage: 'not_eligible' });
    await db.store.createApplication(created);
    expect((await db.store.listActiveApplications()).map((x) => x.id)).not.toContain(created.id);
  });
});
