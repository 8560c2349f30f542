import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable, startDynamo } from '../../infra/local/dynamo.js';
import { makeDocumentClient } from '../../shared/runtime/clients.js';
import { Store, type StoreOptions } from '../../shared/store/store.js';

export interface TestDynamo {
  store: Store;
  doc: DynamoDBDocumentClient;
  tableName: string;
  endpoint: string;
  close(): Promise<void>;
}

let counter = 0;

/**
 * In-memory dynalite on a random 127.0.0.1 port with the application table created, for integration tests.
 * Start it once per file, close it after:
 *
 * ```ts
 * let db: TestDynamo;
 * beforeAll(async () => { db = await withDynalite(); });
 * afterAll(() => db.close());
 * ```
 *
 * Each call is an independent database (no shared state between files). Pass `dataDir` for disk mode and
 * `storeOptions` to inject a clock.
 */
export async function withDynalite(
  options: { dataDir?: string | null; tableName?: string; storeOptions?: StoreOptions } = {},
): Promise<TestDynamo> {
  const dynamo = await startDynamo({ dataDir: options.dataDir ?? null });
  const tableName = options.tableName ?? `test-${process.pid}-${++counter}`;
  const doc = makeDocumentClient({ endpoint: dynamo.endpoint, region: 'local', maxAttempts: 2 });
  try {
    await ensureTable(doc, tableName);
  } catch (err) {
    doc.destroy();
    await dynamo.close();
    throw err;
  }
  return {
    store: new Store(doc, tableName, options.storeOptions),
    doc,
    tableName,
    endpoint: dynamo.endpoint,
    async close() {
      doc.destroy();
      await dynamo.close();
    },
  };
}
