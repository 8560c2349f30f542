import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CliConnection } from '../../../infra/cli/connect.js';
import { run as reindex } from '../../../infra/cli/reindex.js';
import { emailHash, keys, searchEntry } from '../../../shared/store/keys.js';
import { listClosedApplications } from '../../../shared/usecases/console/closed.js';
import { searchApplications } from '../../../shared/usecases/console/search.js';
import { addressesOf } from '../../../shared/usecases/principal.js';
import { openSupportRequest } from '../../../shared/usecases/support.js';
import { type ConsoleApp, makeSiret, startConsoleApp } from '../console/harness.js';
import { seedApplication } from '../console/seed.js';

// An application stored by a version that kept no lookup items: sign-in by address and the console search do not find
// it until `npm run reindex` writes them, through the same use case as a submission.
let app: ConsoleApp;
beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
});
afterAll(() => app?.close());

const connection = async (): Promise<CliConnection> => ({ deps: app.deps, how: 'test', close: async () => {} });
const staff = { kind: 'staff', email: 'a@aptic.test', role: 'admin', sessionHash: '' } as const;

/** Runs the command (exit 0 expected) and returns its summary line instead of printing it. */
async function quiet(): Promise<string> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    expect(await reindex([], connection)).toBe(0);
    return log.mock.calls.flat().join('\n');
  } finally {
    log.mockRestore();
  }
}

describe('npm run reindex', () => {
  it('writes back the search entries and address items an older store lacks, and only those', async () => {
    const { id } = await app.submit();
    const { deps } = app;
    const item = (await deps.store.applications.get(id))!;
    const addresses = addressesOf(item);
    expect(addresses.length).toBeGreaterThan(0);
    const siret = item.siret!;
    expect((await searchApplications(deps, staff, siret)).results.map((r) => r.applicationId)).toContain(id);

    // As an older version left it: no search record, no search entries, no address items.
    const record = await deps.store.client.send(
      new GetCommand({
        TableName: deps.store.tableName,
        Key: keys.searchRecord(id),
      }),
    );
    const tokens = (record.Item?.tokens as string[]) ?? [];
    expect(tokens.length).toBeGreaterThan(0);
    const remove = (Key: Record<string, string>) =>
      deps.store.client.send(new DeleteCommand({ TableName: deps.store.tableName, Key }));
    for (const t of tokens) await remove(searchEntry(t, id));
    await remove(keys.searchRecord(id));
    for (const a of addresses) await remove(keys.actorEmail(emailHash(a), id));
    expect((await searchApplications(deps, staff, siret)).results.map((r) => r.applicationId)).not.toContain(id);
    expect(await deps.store.actorAccess.applicationsFor(emailHash(addresses[0]!))).not.toContain(id);

    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    let code: number;
    let printed: string;
    try {
      code = await reindex([], connection);
      printed = log.mock.calls.flat().join('\n');
    } finally {
      log.mockRestore();
    }
    expect(code).toBe(0);
    expect(printed).toMatch(/Réindexation terminée : \d+ demande\(s\) indexée\(s\)/);
    expect((await searchApplications(deps, staff, siret)).results.map((r) => r.applicationId)).toContain(id);
    for (const a of addresses) expect(await deps.store.actorAccess.applicationsFor(emailHash(a))).toContain(id);
  });

  it('puts on the list of closed applications those that ended before it existed, once', async () => {
    const { deps } = app;
    const qualified = (
      await seedApplication(deps, { nom: 'Qualifiée Ancienne', stage: 'qualified', siret: makeSiret(91) })
    ).app;
    const rejected = (await seedApplication(deps, { nom: 'Refusée Ancienne', stage: 'rejected', siret: makeSiret(92) }))
      .app;
    const open = (await seedApplication(deps, { nom: 'Encore Ouverte', stage: 'staff_review', siret: makeSiret(93) }))
      .app;
    // As a version before the closed list left them: terminal, but without the list's keys.
    const ended = '2025-03-04T10:00:00.000Z';
    await deps.store.client.send(
      new UpdateCommand({
        TableName: deps.store.tableName,
        Key: keys.application(rejected.id),
        UpdateExpression: 'SET endedAt = :e REMOVE gsi2pk, gsi2sk',
        ExpressionAttributeValues: { ':e': ended },
      }),
    );
    await deps.store.client.send(
      new UpdateCommand({
        TableName: deps.store.tableName,
        Key: keys.application(qualified.id),
        UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
      }),
    );
    const listed = async () => (await listClosedApplications(deps, { limit: 200 })).applications;
    const ours = [qualified.id, rejected.id, open.id];
    expect((await listed()).filter((a) => ours.includes(a.applicationId))).toEqual([]);

    expect(await quiet()).toMatch(/ 2 ajoutée\(s\) à la liste des demandes closes/);
    const after = (await listed()).filter((a) => ours.includes(a.applicationId));
    expect(after.map((a) => [a.applicationId, a.stage, a.closedAt]).sort()).toEqual(
      [
        [qualified.id, 'qualified', qualified.qualifiedAt],
        [rejected.id, 'rejected', ended],
      ].sort(),
    );
    const filtered = await listClosedApplications(deps, { stage: ['rejected'], to: '2025-12-31', limit: 200 });
    expect(filtered.applications.map((a) => a.applicationId)).toContain(rejected.id);
    // A second run adds nothing and leaves each once; the version (optimistic locking) is untouched.
    expect(await quiet()).toMatch(/ 0 ajoutée\(s\) à la liste des demandes closes/);
    expect((await listed()).filter((a) => ours.includes(a.applicationId))).toHaveLength(2);
    expect((await deps.store.applications.get(rejected.id))!.version).toBe(rejected.version);
  });

  it('gives a support request stored before them its address lookup and its place in the retention listing', async () => {
    const { deps } = app;
    const courriel = 'ancienne.demande@example.org';
    const { id } = await openSupportRequest(deps, {
      conversationId: 'conv-reindex',
      applicationId: null,
      trigger: 'typed',
      message: 'Je voudrais parler à quelqu’un.',
      excerpt: [],
      courriel,
    });
    // As a version before the address lookup and the retention listing left it.
    await deps.store.client.send(
      new UpdateCommand({
        TableName: deps.store.tableName,
        Key: keys.support(id),
        UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
      }),
    );
    await deps.store.support.unindexAddress(courriel, id);
    const far = '9999-01-01';
    const due = async () => (await deps.store.support.listDue('open', far, 1000)).map((r) => r.id);
    expect(await due()).not.toContain(id);
    expect(await deps.store.support.ofAddress(courriel)).toEqual([]);

    expect(await quiet()).toMatch(/[1-9]\d* demande\(s\) d’aide réindexée\(s\)/);
    expect(await due()).toContain(id);
    expect((await deps.store.support.ofAddress(courriel)).map((r) => r.id)).toEqual([id]);
    // Same request, same version (optimistic locking untouched), listed once however often it runs.
    expect((await deps.store.support.get(id))!.version).toBe(1);
    await quiet();
    expect((await due()).filter((x) => x === id)).toHaveLength(1);
  });

  it('lists a task decided before deliveries were tracked, for the reminder job to deliver or close', async () => {
    const { deps } = app;
    const open = (applicationId: string, step: 'staff_review' | 'final_approval') =>
      deps.store.tasks.open({
        applicationId,
        step,
        round: 1,
        token: `token-${applicationId}-${step}`,
        openedAt: '2025-05-01T08:00:00.000Z',
        route: null,
        phase: null,
        departements: ['87'],
        flags: [],
        assignee: null,
      });
    const applicationId = deps.newId();
    const legacy = await open(applicationId, 'staff_review');
    const at = '2025-05-02T09:00:00.000Z';
    await deps.store.tasks.claim(legacy, { decision: 'approve', by: 'alice@aptic.test', at, byKind: 'staff' });
    // As a version before the delivery record and the undelivered listing left it.
    await deps.store.client.send(
      new UpdateCommand({
        TableName: deps.store.tableName,
        Key: keys.task(legacy),
        UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
      }),
    );
    // Left alone: a task still open, and a decided one whose delivery is known.
    const stillOpen = await open(applicationId, 'final_approval');
    const otherApp = deps.newId();
    const delivered = await open(otherApp, 'staff_review');
    const claimed = await deps.store.tasks.claim(delivered, {
      decision: 'reject',
      by: 'bob@aptic.test',
      at,
      byKind: 'staff',
    });
    await deps.store.tasks.closeDelivery(delivered, claimed.token, 'delivered');
    const listed = async () => (await deps.store.tasks.listUndelivered('9999-01-01', 1000)).map((t) => t.taskId);
    expect(await listed()).not.toContain(legacy);

    expect(await quiet()).toMatch(/ 1 décision\(s\) à livrer ou clore par la relance/);
    const after = await listed();
    expect(after).toContain(legacy);
    expect(after).not.toContain(stillOpen);
    expect(after).not.toContain(delivered);
    // Listed at its decision time, once, whatever the number of runs.
    expect((await deps.store.tasks.listUndelivered('2025-05-02T09:00:00.001Z', 1000)).map((t) => t.taskId)).toContain(
      legacy,
    );
    expect(await quiet()).toMatch(/ 0 décision\(s\) à livrer ou clore par la relance/);
  });

  it('refuses an unknown option with the usage line', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await reindex(['--everything'], connection)).toBe(2);
      expect(err.mock.calls.flat().join(' ')).toContain('Usage : reindex');
    } finally {
      err.mockRestore();
    }
  });
});
