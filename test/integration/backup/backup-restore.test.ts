import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import {
  main as backupCli,
  backupTable,
  localDynamoClient,
  NotEmptyError,
  restoreBackup,
} from '../../../infra/cli/backup.js';
import { ensureTable, startDynamo } from '../../../infra/local/dynamo.js';
import { writeEndpointsFile } from '../../../infra/local/runtime.js';
import { siretFor, validApplication } from '../../helpers/fixtures.js';
import { type LocalApp, startLocalApp } from '../../helpers/local-app.js';

/**
 * `npm run backup` on a running system mid-qualification, `npm run restore` into another data directory, and the
 * qualifications finished there: what was backed up is enough to carry on.
 */
const root = mkdtempSync(join(tmpdir(), 'aptic-backup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function submit(app: LocalApp, n: number) {
  const res = await app.call('POST', '/api/applications', validApplication({ siret: siretFor(7100 + n) }));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; actorToken: string };
}

async function decide(app: LocalApp, id: string, step: string) {
  const task = await app.taskFor(id, step);
  const res = await app.call(
    'POST',
    `/api/console/tasks/${task.taskId}/decision`,
    { decision: 'approve' },
    await app.staffToken(step),
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function commit(app: LocalApp, id: string, actorToken: string) {
  const res = await app.call(
    'POST',
    `/api/applications/${id}/commitments`,
    { charte: true, cgu: true, abonnement: 'oui' },
    actorToken,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe('backup and restore on one machine', () => {
  it('backs up a running system mid-qualification; the restored copy finishes the qualifications', async () => {
    const first = join(root, 'first');
    const second = join(root, 'second');
    const out = join(root, 'backups');
    let app: LocalApp | null = await startLocalApp({ dataDir: first });
    let file: string;
    let a: { id: string; actorToken: string };
    let b: { id: string; actorToken: string };
    try {
      a = await submit(app, 1);
      b = await submit(app, 2);
      await app.waitForStage(a.id, 'staff_review');
      await app.waitForStage(b.id, 'staff_review');
      await decide(app, a.id, 'staff_review');
      await app.waitForStage(a.id, 'actor_commitments');

      // The CLI, as an operator runs it, while the server runs: it finds dynalite through endpoints.json.
      writeEndpointsFile(first, app.rt.endpoints);
      expect(await backupCli(['backup', '--data-dir', first, '--out', out])).toBe(0);
      const files = readdirSync(out);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^aptic-backup-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.jsonl$/);
      file = join(out, files[0]!);
    } finally {
      await app.close();
      app = null;
    }

    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'aptic-backup', version: 1, table: 'aptic' });
    expect(JSON.parse(lines.at(-1)!)).toEqual({ end: true, count: lines.length - 2 });

    expect(await backupCli(['restore', '--file', file, '--data-dir', second])).toBe(0);
    // Refused the second time: the directory is no longer empty.
    await expect(restoreBackup(file, second)).rejects.toBeInstanceOf(NotEmptyError);

    try {
      app = await startLocalApp({ dataDir: second });
      expect(await app.rt.resumeUnfinished()).toBe(2);
      // a: approved by staff before the backup, waiting for the actor's commitments.
      await app.waitForStage(a.id, 'actor_commitments');
      await commit(app, a.id, a.actorToken);
      await app.bankDetails(a.id, a.actorToken);
      await app.waitForStage(a.id, 'final_approval');
      await decide(app, a.id, 'final_approval');
      await app.waitForStage(a.id, 'qualified');
      // b: still in staff review at the time of the backup.
      await decide(app, b.id, 'staff_review');
      await app.waitForStage(b.id, 'actor_commitments');
      await commit(app, b.id, b.actorToken);
      await app.bankDetails(b.id, b.actorToken);
      await app.waitForStage(b.id, 'final_approval');
      await decide(app, b.id, 'final_approval');
      await app.waitForStage(b.id, 'qualified');
    } finally {
      await app?.close();
    }
  }, 90_000);

  it('round-trips numbers, sets, binary and nesting exactly, and refuses a file cut short', async () => {
    const dir = join(root, 'raw');
    mkdirSync(dir);
    const dynamo = await startDynamo();
    const client = localDynamoClient(dynamo.endpoint);
    const item = {
      pk: { S: 'RAW' },
      sk: { S: '1' },
      big: { N: '12345678901234567890.123456789' },
      tiny: { N: '-1E-130' },
      ns: { NS: ['1', '2.5', '99999999999999999999'] },
      ss: { SS: ['a', 'é', '🙂'] },
      bin: { B: new Uint8Array([0, 255, 1, 128]) },
      bs: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
      nested: { M: { l: { L: [{ NULL: true }, { BOOL: false }, { M: { b: { B: new Uint8Array([7]) } } }] } } },
    };
    let file: string;
    // What the table holds (dynalite, like DynamoDB, stores numbers in a canonical form): the restore must give back
    // exactly that.
    let stored: unknown;
    try {
      await ensureTable(client, 'aptic');
      await client.send(new PutItemCommand({ TableName: 'aptic', Item: item }));
      stored = (await client.send(new GetItemCommand({ TableName: 'aptic', Key: { pk: item.pk, sk: item.sk } }))).Item;
      expect(stored).toMatchObject({ big: item.big, ns: item.ns, bin: item.bin, bs: item.bs });
      ({ file } = await backupTable(client, 'aptic', join(root, 'raw-backups')));
    } finally {
      client.destroy();
      await dynamo.close();
    }

    const target = join(root, 'raw-restored');
    expect((await restoreBackup(file, target)).count).toBe(1);
    const again = await startDynamo({ dataDir: target });
    const reader = localDynamoClient(again.endpoint);
    try {
      const got = await reader.send(new GetItemCommand({ TableName: 'aptic', Key: { pk: item.pk, sk: item.sk } }));
      expect(got.Item).toEqual(stored);
    } finally {
      reader.destroy();
      await again.close();
    }

    // Without its trailer the file is refused, and the target directory stays empty.
    const cut = join(root, 'cut.jsonl');
    writeFileSync(cut, readFileSync(file, 'utf8').trim().split('\n').slice(0, -1).join('\n'));
    const target2 = join(root, 'raw-cut');
    await expect(restoreBackup(cut, target2)).rejects.toThrow(/incomplet/);
    expect(readdirSync(target2)).toEqual([]);
  });
});
