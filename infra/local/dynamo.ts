import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toCreateTableInput } from '../../shared/store/table.js';

// dynalite ships no types; loaded through require so the one call we make is typed here.
type DynaliteFactory = (options: {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;
const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;

export interface DynamoOptions {
  /** Directory for the LevelDB files; null or undefined keeps everything in memory. */
  dataDir?: string | null;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
}

export interface LocalDynamo {
  endpoint: string;
  port: number;
  /** The child process running dynalite (startDynamoChild only): benchmarks read its CPU time. */
  pid?: number;
  close(): Promise<void>;
}

const LOCK_FILE = 'dynalite.lock';

/**
 * Starts dynalite in this process. On disk, a lock file guards the data directory: two dynalite instances on one
 * LevelDB path crash, so a second start fails fast with a message naming the holder instead.
 */
export async function startDynamo(options: DynamoOptions = {}): Promise<LocalDynamo> {
  const dataDir = options.dataDir ? resolve(options.dataDir) : null;
  let releaseLock = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    releaseLock = acquireLock(join(dataDir, LOCK_FILE));
  }
  // Tables become ACTIVE at once: no waiting in tests or at start-up.
  const server = dynalite({
    ...(dataDir ? { path: dataDir } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', fail);
        ok();
      });
    });
  } catch (err) {
    releaseLock();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | null = null;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close() {
      closed ??= new Promise<void>((ok, fail) => {
        // Keep-alive sockets of SDK clients would hold close() open until they time out.
        (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close((err) => {
          releaseLock();
          if (err) fail(err);
          else ok();
        });
      });
      return closed;
    },
  };
}

function acquireLock(path: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `The data directory ${path.slice(0, -LOCK_FILE.length - 1)} is in use by process ${holder} ` +
            '(another `npm start`?). Stop it, or use another DATA_DIR or --memory.',
        );
      }
      if (holder === process.pid) {
        throw new Error(`The data directory ${path.slice(0, -LOCK_FILE.length - 1)} is already open in this process.`);
      }
      rmSync(path, { force: true }); // left by a process that died: take it over
    }
  }
  throw new Error(`Could not lock ${path}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A holder killed with its process group (`kill -9` of `npm start`) stays a zombie until it is reaped, and signal 0
  // still reaches a zombie: on Linux, read its state, so a restart right after a crash is not refused.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no /proc (macOS, Windows): trust signal 0
  }
}

/** Creates the table from TABLE_DEFINITION when missing, and waits until it is ACTIVE. */
export async function ensureTable(client: DynamoDBClient | DynamoDBDocumentClient, tableName: string): Promise<void> {
  // The document client forwards plain DynamoDB commands to the client it wraps.
  const base = client as DynamoDBClient;
  try {
    const res = await base.send(new DescribeTableCommand({ TableName: tableName }));
    if (res.Table?.TableStatus === 'ACTIVE') return;
  } catch (err) {
    if ((err as Error).name !== 'ResourceNotFoundException') throw err;
    try {
      await base.send(new CreateTableCommand(toCreateTableInput(tableName)));
    } catch (createErr) {
      if ((createErr as Error).name !== 'ResourceInUseException') throw createErr; // created concurrently
    }
  }
  // minDelay 1 s: the waiter's default floor (20 s) would stall every start-up.
  await waitUntilTableExists({ client: base, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
}
