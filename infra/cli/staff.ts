// Staff accounts of the local console (on AWS, staff sign in through Cognito: see docs/console.md).
//   npm run staff -- add --email ana@exemple.fr --role reviewer [--name "Ana"] [--password-stdin]
//   npm run staff -- list
// Starts no server. It talks to the table of a running `npm start` (<data-dir>/endpoints.json, default DATA_DIR or
// .data/); when none answers, it opens the on-disk dynalite of <data-dir> itself (see connect.ts). Accounts are made
// by the same use case as the console's (put-if-absent, audit record).
import '../../shared/runtime/polyfills.js';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { listStaffMembers } from '../../shared/usecases/console/application-page.js';
import { createStaff } from '../../shared/usecases/staff-auth.js';
import { parseLocalEnv } from '../local/env.js';
import { type CliConnection, connect, reportRefusal, runMain } from './connect.js';

const USAGE = `Utilisation :
  npm run staff -- add --email ADRESSE --role reviewer|admin [--name NOM] [--password-stdin] [--data-dir DATA_DIR, défaut .data]
  npm run staff -- list [--data-dir DATA_DIR, défaut .data]
Sans --password-stdin, un mot de passe est généré et affiché une seule fois.`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

export async function run(argv: string[], open = connect, password = readStdin): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      role: { type: 'string', default: 'reviewer' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
    },
  });
  const command = positionals[0];
  if ((command !== 'add' && command !== 'list') || (command === 'add' && !values.email)) {
    console.error(USAGE);
    return 2;
  }
  const conn: CliConnection = await open({ dataDir: resolve(values['data-dir'] ?? parseLocalEnv().DATA_DIR) });
  try {
    if (command === 'list') {
      for (const a of (await listStaffMembers(conn.deps)).staff) console.log(`${a.email}\t${a.role}`);
      return 0;
    }
    const generated = values['password-stdin'] ? null : randomBytes(12).toString('base64url');
    const made = await createStaff(
      conn.deps,
      {
        email: values.email,
        password: generated ?? (await password()),
        role: values.role,
        ...(values.name ? { name: values.name } : {}),
      },
      'cli',
    );
    console.log(`Compte créé : ${made.email} (${made.role}) — ${conn.how}`);
    if (generated) console.log(`Mot de passe (affiché une seule fois) : ${generated}`);
    return 0;
  } catch (err) {
    return reportRefusal(err);
  } finally {
    await conn.close();
  }
}

runMain(import.meta, (argv) => run(argv));
