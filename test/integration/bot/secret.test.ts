import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatSessionSecret } from '../../../bot/secret.js';
import { makeDocumentClient } from '../../../shared/runtime/clients.js';
import { Store } from '../../../shared/store/store.js';
import { type TestDynamo, withDynalite } from '../../helpers/dynalite.js';

let db: TestDynamo;
beforeAll(async () => {
  db = await withDynalite();
});
afterAll(() => db.close());

describe('chat session secret', () => {
  it('instances starting together (each its own client, as Lambdas) all get the one secret stored first', async () => {
    const instances = Array.from(
      { length: 8 },
      () => new Store(makeDocumentClient({ region: 'eu-west-3', endpoint: db.endpoint }), db.store.tableName),
    );
    const secrets = await Promise.all(instances.map((store) => chatSessionSecret(store)));
    expect(new Set(secrets).size).toBe(1);
    expect(secrets[0]).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    // A later cold start reads the same one.
    expect(await chatSessionSecret(db.store)).toBe(secrets[0]);
  });
});
