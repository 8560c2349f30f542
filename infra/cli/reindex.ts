// Rebuilds the lookup items of every stored application (console search, sign-in by address, the list of closed
// applications), support request (the address lookup, the retention job's listing) and decided task (the listing of
// decisions not known to be delivered), for a store written by an earlier version that did not keep them:
//   npm run reindex [-- --data-dir .data] [--aws]
// Against the table of a running `npm start` (its endpoints.json), the data directory opened here, or with --aws the
// table the environment names. A Scan, so a command an operator runs once after an upgrade, never a request path.
import '../../shared/runtime/polyfills.js';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SupportRequest } from '../../shared/store/store.js';
import { strip } from '../../shared/store/table-client.js';
import type { ApplicationItem, TaskItem } from '../../shared/store/types.js';
import { reindexApplication, reindexDecidedTask, reindexSupportRequest } from '../../shared/usecases/reindex.js';
import { parseLocalEnv } from '../local/env.js';
import { type CliConnection, connect, runMain } from './connect.js';

const USAGE = 'Usage : reindex [--data-dir DIR] [--aws]';

export async function run(argv: string[], open = connect): Promise<number> {
  let values: { 'data-dir'?: string; aws?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { 'data-dir': { type: 'string' }, aws: { type: 'boolean', default: false } },
    }));
  } catch {
    console.error(USAGE);
    return 2;
  }
  const conn: CliConnection = await open({
    dataDir: resolve(values['data-dir'] ?? parseLocalEnv().DATA_DIR),
    aws: values.aws,
  });
  try {
    const { deps } = conn;
    const tableName = deps.store.tableName;
    let indexed = 0;
    let skipped = 0;
    let closed = 0;
    let support = 0;
    let tasks = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await deps.store.client.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: 'sk = :app OR sk = :support OR sk = :task',
          ExpressionAttributeValues: { ':app': 'APP', ':support': 'SUPPORT', ':task': 'TASK' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.sk === 'SUPPORT') {
          if (await reindexSupportRequest(deps, strip<SupportRequest>(item))) support++;
          continue;
        }
        if (item.sk === 'TASK') {
          if (await reindexDecidedTask(deps, strip<TaskItem>(item))) tasks++;
          continue;
        }
        const outcome = await reindexApplication(deps, strip<ApplicationItem>(item));
        if (outcome.indexed) indexed++;
        else skipped++;
        if (outcome.closedListed) closed++;
      }
      start = page.LastEvaluatedKey;
    } while (start);
    console.log(
      `Réindexation terminée : ${indexed} demande(s) indexée(s), ${closed} ajoutée(s) à la liste des demandes closes, ${skipped} effacée(s) ignorée(s), ${support} demande(s) d’aide réindexée(s), ${tasks} décision(s) à livrer ou clore par la relance — ${conn.how}`,
    );
    return 0;
  } finally {
    await conn.close();
  }
}

runMain(import.meta, run);
