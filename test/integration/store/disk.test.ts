import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDynamo } from '../../../infra/local/dynamo.js';
import { withDynalite } from '../../helpers/dynalite.js';
import { application } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'aptic-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('disk mode', () => {
  it('keeps the data across close and reopen', async () => {
    const app = application({ siret: '55555555500055', stage: 'staff_review' });
    const first = await withDynalite({ dataDir: dir, tableName: 'aptic' });
    await first.store.applications.create(app);
    await first.store.history.append({
      applicationId: app.id,
      key: 'r1#submitted',
      at: 'x',
      actor: { kind: 'actor' },
      type: 'submitted',
    });
    await first.close();

    const second = await withDynalite({ dataDir: dir, tableName: 'aptic' });
    try {
      expect(await second.store.applications.get(app.id)).toEqual(app);
      expect(await second.store.applications.getBySiret('55555555500055')).toEqual(app);
      expect(await second.store.history.list(app.id)).toHaveLength(1);
      expect((await second.store.applications.listActive()).map((a) => a.id)).toEqual([app.id]);
    } finally {
      await second.close();
    }
  });

  it('refuses a second instance on the same directory with a clear message', async () => {
    const first = await startDynamo({ dataDir: dir });
    try {
      await expect(startDynamo({ dataDir: dir })).rejects.toThrow(/already open in this process|in use by process/);
    } finally {
      await first.close();
    }
    const again = await startDynamo({ dataDir: dir });
    await again.close();
  });
});
