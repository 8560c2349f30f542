// Staff accounts of the local console (on AWS, staff sign in through Cognito: see docs/console.md).
//   npm run staff -- add --email ana@exemple.fr --role reviewer [--name "Ana"] [--password-stdin]
//   npm run staff -- list
// Starts no server. It talks to the DynamoDB endpoint of a running `npm start` (<data-dir>/endpoints.json, default
// .data/); when none answers, it opens the on-disk dynalite of <data-dir> itself (the data directory's lock file
// makes sure the two never run on the same files at once).
import '../../shared/runtime/polyfills.js';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureTable, type LocalDynamo, startDynamo } from '../../infra/local/dynamo.js';
import { DEFAULT_CONFIG } from '../../shared/config/config.js';
import type { Deps } from '../../shared/runtime/deps.js';
import { newRandomToken, newUuid, systemClock } from '../../shared/runtime/deps.js';
import { logger } from '../../shared/runtime/logger.js';
import { outboxOnlyMailer } from '../../shared/runtime/mailer.js';
import { makeDocumentClient } from '../../shared/store/client.js';
import { Store } from '../../shared/store/store.js';
import { createStaff } from '../../shared/usecases/staff-auth.js';

const USAGE = `Utilisation :
  npm run staff -- add --email ADRESSE --role reviewer|admin [--name NOM] [--password-stdin] [--data-dir DATA_DIR, default .data]
  npm run staff -- list [--data-dir DATA_DIR, default .data]
Sans --password-stdin, un mot de passe est généré et affiché une seule fois.`;

interface Connection {
  store: Store;
  how: string;
  close(): Promise<void>;
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, { method: 'POST', signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/** The running `npm start` if there is one, else the on-disk data opened here. */
export async function connect(dataDir: string): Promise<Connection> {
  const file = join(dataDir, 'endpoints.json');
  if (existsSync(file)) {
    const e = JSON.parse(readFileSync(file, 'utf8')) as { dynamodb: string; tableName: string };
    if (await answers(e.dynamodb)) {
      const doc = makeDocumentClient({
        endpoint: e.dynamodb,
        region: 'eu-west-3',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      return {
        store: new Store(doc, e.tableName),
        how: `npm start en cours (${e.dynamodb})`,
        close: async () => doc.destroy(),
      };
    }
  }
  const tableName = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { tableName: string }).tableName
    : 'aptic';
  const dynamo: LocalDynamo = await startDynamo({ dataDir });
  const doc = makeDocumentClient({
    endpoint: dynamo.endpoint,
    region: 'eu-west-3',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(doc, tableName);
  return {
    store: new Store(doc, tableName),
    how: `données sur disque (${dataDir})`,
    async close() {
      doc.destroy();
      await dynamo.close();
    },
  };
}

function depsFor(store: Store): Deps {
  return {
    store,
    sfn: undefined as never,
    stateMachineArn: '',
    config: async () => DEFAULT_CONFIG,
    clock: systemClock,
    newId: newUuid,
    newToken: newRandomToken,
    mailer: outboxOnlyMailer,
    logger: logger.child({}, { level: 'warn' }),
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      role: { type: 'string', default: 'reviewer' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      'data-dir': { type: 'string', default: process.env.DATA_DIR || '.data' },
    },
  });
  const command = positionals[0];
  if (command !== 'add' && command !== 'list') {
    console.error(USAGE);
    return 2;
  }
  const conn = await connect(resolve(values['data-dir'] ?? '.data'));
  try {
    if (command === 'list') {
      for (const a of await conn.store.staff.list()) {
        console.log(`${a.email}\t${a.role === 'admin' ? 'admin' : 'reviewer'}${a.disabled ? '\t(désactivé)' : ''}`);
      }
      return 0;
    }
    if (!values.email) {
      console.error(USAGE);
      return 2;
    }
    if (await conn.store.staff.get(values.email)) {
      console.error(`Le compte ${values.email} existe déjà.`);
      return 1;
    }
    const generated = values['password-stdin'] ? null : randomBytes(12).toString('base64url');
    const password = generated ?? (await readStdin());
    try {
      const made = await createStaff(
        depsFor(conn.store),
        { email: values.email, password, role: values.role, ...(values.name ? { name: values.name } : {}) },
        'cli',
      );
      console.log(`Compte créé : ${made.email} (${made.role}) — ${conn.how}`);
      if (generated) console.log(`Mot de passe (affiché une seule fois) : ${generated}`);
      return 0;
    } catch (err) {
      const issues = (err as { issues?: { path: string; message: string }[] }).issues;
      console.error(issues ? issues.map((i) => `${i.path} : ${i.message}`).join('\n') : (err as Error).message);
      return 1;
    }
  } finally {
    await conn.close();
  }
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`Erreur : ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
