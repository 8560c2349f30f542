import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CliConnection } from '../../../infra/cli/connect.js';
import { run as reindex } from '../../../infra/cli/reindex.js';
import { emailHash, keys, searchEntry } from '../../../shared/store/keys.js';
import { searchApplications } from '../../../shared/usecases/console/search.js';
import { addressesOf } from '../../../shared/usecases/principal.js';
import { type ConsoleApp, startConsoleApp } from '../console/harness.js';

// An application stored by a version that kept no lookup items: sign-in by address and the console search do not find
// it until `npm run reindex` writes them, through the same use case as a submission.
let app: ConsoleApp;
beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
});
afterAll(() => app?.close());

const open = async (): Promise<CliConnection> => ({ deps: app.deps, how: 'test', close: async () => {} });
const staff = { kind: 'staff', email: 'a@aptic.test', role: 'admin', sessionHash: '' } as const;

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
      code = await reindex([], open);
      printed = log.mock.calls.flat().join('\n');
    } finally {
      log.mockRestore();
    }
    expect(code).toBe(0);
    expect(printed).toMatch(/Réindexation terminée : \d+ demande\(s\) indexée\(s\)/);
    expect((await searchApplications(deps, staff, siret)).results.map((r) => r.applicationId)).toContain(id);
    for (const a of addresses) expect(await deps.store.actorAccess.applicationsFor(emailHash(a))).toContain(id);
  });

  it('refuses an unknown option with the usage line', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await reindex(['--everything'], open)).toBe(2);
      expect(err.mock.calls.flat().join(' ')).toContain('Usage : reindex');
    } finally {
      err.mockRestore();
    }
  });
});
