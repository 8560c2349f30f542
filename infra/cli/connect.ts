import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../../shared/domain/errors.js';
import { buildDeps, makeDocumentClient } from '../../shared/runtime/clients.js';
import { parseEnv } from '../../shared/runtime/env.js';
import { UseCaseError } from '../../shared/usecases/errors.js';
import type { Deps } from '../../shared/usecases/ports.js';
import { ensureTable, startDynamo } from '../local/dynamo.js';

/** What an admin CLI works with: the same dependencies as a handler, and a sentence saying where the data is. */
export interface CliConnection {
  deps: Deps;
  how: string;
  close(): Promise<void>;
}

interface Endpoints {
  dynamodb: string;
  tableName: string;
  stepfunctions?: string;
}

/** Whether a local endpoint (the dynalite of a running `npm start`) answers at all. */
export async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, { method: 'POST', signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/**
 * The table the CLI talks to: on AWS (`--aws`), the one the environment names, like a Lambda; else the running
 * `npm start` of `dataDir` (its endpoints.json); else the on-disk dynalite of `dataDir` opened here (its lock file
 * keeps two processes off the same files). The dependencies are built by `buildDeps`, as for the handlers, so a
 * CLI goes through the same use cases, configuration and audit trail as the console.
 */
export async function connect(options: { dataDir: string; aws?: boolean }): Promise<CliConnection> {
  const env = parseEnv();
  if (options.aws) {
    const deps = buildDeps(env);
    return { deps, how: `AWS (table ${env.TABLE_NAME})`, close: async () => {} };
  }
  const file = join(options.dataDir, 'endpoints.json');
  const endpoints = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Endpoints) : null;
  if (endpoints && (await answers(endpoints.dynamodb))) {
    const deps = buildDeps({ ...env, DYNAMODB_ENDPOINT: endpoints.dynamodb, TABLE_NAME: endpoints.tableName });
    return { deps, how: `npm start en cours (${endpoints.dynamodb})`, close: async () => {} };
  }
  const tableName = endpoints?.tableName ?? env.TABLE_NAME;
  const dynamo = await startDynamo({ dataDir: options.dataDir });
  const deps = buildDeps({ ...env, DYNAMODB_ENDPOINT: dynamo.endpoint, TABLE_NAME: tableName });
  const admin = makeDocumentClient({ endpoint: dynamo.endpoint, region: env.AWS_REGION });
  await ensureTable(admin, tableName);
  admin.destroy();
  return { deps, how: `données sur disque (${options.dataDir})`, close: () => dynamo.close() };
}

/**
 * A refusal of a use case, said in its own French words (field errors one per line, `prefix` before each field
 * name); anything else is a bug and is thrown on to `runMain`.
 */
export function reportRefusal(err: unknown, prefix = ''): number {
  if (!(err instanceof UseCaseError || err instanceof DomainError)) throw err;
  const issues = (err as { issues?: { path: string; message: string }[] }).issues;
  console.error(issues?.length ? issues.map((i) => `${prefix}${i.path} : ${i.message}`).join('\n') : err.message);
  return 1;
}

/** Runs a CLI's `run` when its module is the process's entry point, and exits with its code. */
export function runMain(meta: ImportMeta, run: (argv: string[]) => Promise<number>): void {
  if (!process.argv[1] || meta.url !== `file://${process.argv[1]}`) return;
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`Erreur : ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
