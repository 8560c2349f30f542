import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_OUTBOX, sendOverdueDigest } from '../../../shared/usecases/digest.js';
import type { Deps, StaffDirectory } from '../../../shared/usecases/ports.js';
import { enabledAdmins, localStaffDirectory } from '../../../shared/usecases/staff-directory.js';
import { type ConsoleApp, makeSiret, startConsoleApp } from './harness.js';
import { seedApplication } from './seed.js';

// The daily digest on AWS: admins may exist only in the Cognito user pool (staff accounts managed there). The digest
// reads them through the staff directory port (deps.staffDirectory); here a directory over other local accounts
// stands for the pool (the Cognito listing itself: test/unit/console/cognito-directory.test.ts).
const DAY = 86_400_000;
let app: ConsoleApp;
let localAdmin: { email: string };
beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  localAdmin = await app.staff('admin', 'local-admin@aptic.test');
  await seedApplication(app.deps, {
    siret: makeSiret(77),
    nom: 'Atelier Oublié',
    stage: 'staff_review',
    openedAt: new Date(Date.now() - 10 * DAY).toISOString(),
  });
});
afterAll(() => app?.close());

/** Four days on, 07:00 UTC: after the digest hour, the seeded step overdue. */
const moved = new Date(Math.floor((Date.now() + 4 * DAY) / DAY) * DAY + 7 * 3_600_000);
const dayKey = moved.toISOString().slice(0, 10);

describe('daily digest and the staff directory', () => {
  it('goes to an admin who exists only in the directory, and to the local admins, once each', async () => {
    const pool: StaffDirectory = { admins: async () => ['Pool.Admin@aptic.test', localAdmin.email] };
    const deps: Deps = { ...app.deps, clock: () => moved, staffDirectory: pool };
    expect(await app.deps.store.staff.get('pool.admin@aptic.test')).toBeNull();
    const result = await sendOverdueDigest(deps);
    expect(result.overdue).toBeGreaterThanOrEqual(1);
    const theirs = await app.deps.store.outbox.get(DIGEST_OUTBOX, `${dayKey}#pool.admin@aptic.test`);
    expect(theirs?.to).toBe('pool.admin@aptic.test');
    expect(theirs?.text).toContain('Atelier Oublié');
    expect(theirs?.text).toContain('non assignée');
    expect(await app.deps.store.outbox.get(DIGEST_OUTBOX, `${dayKey}#${localAdmin.email}`)).not.toBeNull();
  });

  it('a directory that fails leaves the local admins', async () => {
    const broken: StaffDirectory = {
      admins: async () => {
        throw new Error('AccessDenied');
      },
    };
    const admins = await enabledAdmins({ ...app.deps, staffDirectory: broken });
    expect(admins).toEqual(await localStaffDirectory(app.deps.store).admins());
    expect(admins).toContain(localAdmin.email);
  });
});
