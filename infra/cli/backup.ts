// Backups of the local table, one machine (on AWS, point-in-time recovery is the answer: see docs/infra.md).
//   npm run backup [-- --data-dir .data --out backups/]
//   npm run restore -- --file backups/aptic-backup-….jsonl [--data-dir DATA_DIR]
// The backup talks to the dynalite of a running `npm start` (<data-dir>/endpoints.json); when none answers it opens
// the on-disk data itself (the lock file keeps the two apart). The restore loads into an empty data directory only.
//
// Format (JSON lines, one object a line): a header `{"format":"aptic-backup","version":1,"table":…,"createdAt":…}`,
// then one `{"Item":{…}}` per item in DynamoDB JSON (the wire format, as in DynamoDB's own S3 exports: numbers stay
// strings, sets stay sets, binary is base64), then a trailer `{"end":true,"count":N}`. The raw AttributeValues are
// never unmarshalled, so whatever the table holds comes back byte for byte; the trailer tells a complete file from
// one cut short.
import '../../shared/runtime/polyfills.js';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  DynamoDBClient,
  ScanCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { keepAliveHandler } from '../../shared/runtime/http-handler.js';
import { unsignedLocalSigner } from '../../shared/runtime/local-signer.js';
import { ensureTable, startDynamo } from '../local/dynamo.js';
import { parseLocalEnv } from '../local/env.js';
import { answers } from './connect.js';

export const BACKUP_FORMAT = 'aptic-backup';
export const BACKUP_VERSION = 1;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  table: string;
  createdAt: string;
}

type Item = Record<string, AttributeValue>;
/** An AttributeValue as JSON: binary values as base64 strings. */
type JsonItem = Record<string, unknown>;

const REGION = 'eu-west-3';

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    region: REGION,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    signer: unsignedLocalSigner('dynamodb', REGION),
    requestHandler: keepAliveHandler({ requestTimeoutMs: 30_000 }),
    maxAttempts: 6,
  });
}

// ─── DynamoDB JSON ⇄ JSON text ─────────────────────────────────────────────────────────────────────────────────

function encodeValue(v: AttributeValue): unknown {
  if (v.B !== undefined) return { B: Buffer.from(v.B).toString('base64') };
  if (v.BS !== undefined) return { BS: v.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (v.M !== undefined) return { M: encodeItem(v.M) };
  if (v.L !== undefined) return { L: v.L.map(encodeValue) };
  return v; // S, N, SS, NS, BOOL, NULL: already JSON (N and NS as strings, so no precision is lost)
}

export function encodeItem(item: Item): JsonItem {
  const out: JsonItem = {};
  for (const [k, v] of Object.entries(item)) out[k] = encodeValue(v);
  return out;
}

function decodeValue(v: Record<string, unknown>): AttributeValue {
  if (typeof v.B === 'string') return { B: Buffer.from(v.B, 'base64') };
  if (Array.isArray(v.BS)) return { BS: (v.BS as string[]).map((b) => Buffer.from(b, 'base64')) };
  if (v.M !== undefined) return { M: decodeItem(v.M as JsonItem) };
  if (Array.isArray(v.L)) return { L: (v.L as Record<string, unknown>[]).map(decodeValue) };
  return v as unknown as AttributeValue;
}

export function decodeItem(item: JsonItem): Item {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) out[k] = decodeValue(v as Record<string, unknown>);
  return out;
}

// ─── backup ─────────────────────────────────────────────────────────────────────────────────────────────────────

export interface BackupResult {
  file: string;
  count: number;
}

/**
 * Writes every item of the table to `<outDir>/aptic-backup-<ISO date>.jsonl`, through a temporary file renamed at
 * the end (a crash leaves no file that looks complete). A parallel Scan, not a snapshot: each item is read whole
 * and consistent, but an item written while the scan runs may or may not be in the file.
 */
export async function backupTable(
  client: DynamoDBClient,
  tableName: string,
  outDir: string,
  options: { segments?: number; now?: Date } = {},
): Promise<BackupResult> {
  mkdirSync(outDir, { recursive: true });
  const createdAt = (options.now ?? new Date()).toISOString();
  // No ':' in file names (Windows, scp).
  const file = resolve(outDir, `aptic-backup-${createdAt.replace(/:/g, '-')}.jsonl`);
  const tmp = `${file}.partial-${process.pid}`;
  const handle = await open(tmp, 'w');
  let count = 0;
  try {
    // One writer at a time: segments append whole pages, never interleaved lines.
    let writing: Promise<unknown> = Promise.resolve();
    const append = (text: string) => {
      writing = writing.then(() => handle.write(text));
      return writing;
    };
    const header: BackupHeader = { format: BACKUP_FORMAT, version: BACKUP_VERSION, table: tableName, createdAt };
    await append(`${JSON.stringify(header)}\n`);
    const total = options.segments ?? 4;
    await Promise.all(
      Array.from({ length: total }, async (_, segment) => {
        let start: Item | undefined;
        do {
          const page = await client.send(
            new ScanCommand({
              TableName: tableName,
              Segment: segment,
              TotalSegments: total,
              ConsistentRead: true,
              ExclusiveStartKey: start,
            }),
          );
          const items = page.Items ?? [];
          if (items.length > 0) {
            count += items.length;
            await append(items.map((i) => `${JSON.stringify({ Item: encodeItem(i) })}\n`).join(''));
          }
          start = page.LastEvaluatedKey;
        } while (start);
      }),
    );
    await append(`${JSON.stringify({ end: true, count })}\n`);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  await rename(tmp, file);
  return { file, count };
}

// ─── restore ────────────────────────────────────────────────────────────────────────────────────────────────────

/** Header and items of a backup file, checked: right format, trailer present, count matching. */
export async function* readBackup(file: string): AsyncGenerator<BackupHeader | Item> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  let header: BackupHeader | null = null;
  let count = 0;
  let trailer: { count: number } | null = null;
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    if (trailer) throw new Error(`${file}:${n}: du contenu après la fin de la sauvegarde`);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`${file}:${n}: ligne illisible (JSON invalide)`);
    }
    if (!header) {
      if (parsed.format !== BACKUP_FORMAT || typeof parsed.table !== 'string') {
        throw new Error(`${file} n'est pas une sauvegarde aptic (en-tête absent)`);
      }
      if (parsed.version !== BACKUP_VERSION) {
        throw new Error(`${file} : version ${String(parsed.version)} du format inconnue (attendue ${BACKUP_VERSION})`);
      }
      header = parsed as unknown as BackupHeader;
      yield header;
    } else if (parsed.end === true) {
      trailer = { count: Number(parsed.count) };
    } else if (parsed.Item && typeof parsed.Item === 'object') {
      count++;
      yield decodeItem(parsed.Item as JsonItem);
    } else {
      throw new Error(`${file}:${n}: ligne inattendue`);
    }
  }
  if (!header) throw new Error(`${file} est vide`);
  if (!trailer) throw new Error(`${file} est incomplet (pas de ligne de fin) : sauvegarde interrompue ?`);
  if (trailer.count !== count) {
    throw new Error(`${file} annonce ${trailer.count} éléments mais en contient ${count}`);
  }
}

/** BatchWrite, 25 items a request, a few requests at once, unprocessed items retried with backoff. */
export async function writeItems(
  client: DynamoDBClient,
  tableName: string,
  items: AsyncIterable<Item> | Iterable<Item>,
  options: { concurrency?: number } = {},
): Promise<number> {
  const concurrency = options.concurrency ?? 4;
  const running = new Set<Promise<void>>();
  let written = 0;
  const send = async (batch: WriteRequest[]) => {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= 10) throw new Error(`BatchWriteItem : ${pending.length} éléments refusés après 10 essais`);
      if (attempt > 0) await new Promise((ok) => setTimeout(ok, Math.min(50 * 2 ** attempt, 2000)));
      const res = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
      pending = res.UnprocessedItems?.[tableName] ?? [];
    }
    written += batch.length;
  };
  let batch: WriteRequest[] = [];
  const flush = async () => {
    const p = send(batch);
    batch = [];
    running.add(p);
    void p.then(
      () => running.delete(p),
      () => running.delete(p),
    );
    if (running.size >= concurrency) await Promise.race(running);
  };
  for await (const item of items) {
    batch.push({ PutRequest: { Item: item } });
    if (batch.length === 25) await flush();
  }
  if (batch.length > 0) await flush();
  await Promise.all(running);
  return written;
}

export async function countItems(client: DynamoDBClient, tableName: string): Promise<number> {
  let count = 0;
  let start: Item | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, Select: 'COUNT', ExclusiveStartKey: start, ConsistentRead: true }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

export class NotEmptyError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `Le répertoire de données ${dataDir} n'est pas vide : la restauration ne charge que dans un répertoire vide ` +
        `(choisissez-en un autre, ou videz celui-ci). / The data directory ${dataDir} is not empty: restore only ` +
        'loads into an empty directory.',
    );
  }
}

/** Loads a backup into a new, empty data directory: dynalite on it, the table from TABLE_DEFINITION, every item. */
export async function restoreBackup(file: string, dataDir: string): Promise<{ table: string; count: number }> {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) throw new NotEmptyError(dataDir);
  const stream = readBackup(file);
  const first = await stream.next();
  const header = first.value as BackupHeader;
  const dynamo = await startDynamo({ dataDir });
  const client = localDynamoClient(dynamo.endpoint);
  let ok = false;
  try {
    await ensureTable(client, header.table);
    const items = (async function* () {
      for await (const item of stream) yield item as Item;
    })();
    const written = await writeItems(client, header.table, items);
    const count = await countItems(client, header.table);
    if (count !== written) {
      throw new Error(`restauration incomplète : ${written} éléments écrits, ${count} dans la table`);
    }
    ok = true;
    return { table: header.table, count };
  } finally {
    client.destroy();
    await dynamo.close();
    // The directory was empty: a failed restore (file cut short, disk full) leaves it empty again, not half loaded.
    if (!ok) for (const entry of readdirSync(dataDir)) rmSync(join(dataDir, entry), { recursive: true, force: true });
  }
}

// ─── CLI ────────────────────────────────────────────────────────────────────────────────────────────────────────

const USAGE = `Utilisation :
  npm run backup [-- --data-dir DATA_DIR (défaut .data) --out RÉPERTOIRE (défaut backups/)]
  npm run restore -- --file SAUVEGARDE.jsonl [--data-dir DATA_DIR (défaut .data, doit être vide)]`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string', default: parseLocalEnv().DATA_DIR },
      out: { type: 'string', default: 'backups' },
      file: { type: 'string' },
    },
  });
  const dataDir = resolve(values['data-dir'] ?? '.data');
  const command = positionals[0];
  if (command === 'backup') {
    const endpointsFile = join(dataDir, 'endpoints.json');
    const endpoints = existsSync(endpointsFile)
      ? (JSON.parse(readFileSync(endpointsFile, 'utf8')) as { dynamodb: string; tableName: string })
      : null;
    const tableName = endpoints?.tableName ?? 'aptic';
    let how = `npm start en cours (${endpoints?.dynamodb})`;
    let dynamo: Awaited<ReturnType<typeof startDynamo>> | null = null;
    if (!endpoints || !(await answers(endpoints.dynamodb))) {
      if (!existsSync(dataDir)) {
        console.error(`Pas de données dans ${dataDir}.`);
        return 1;
      }
      dynamo = await startDynamo({ dataDir });
      how = `données sur disque (${dataDir})`;
    }
    const client = localDynamoClient(dynamo?.endpoint ?? (endpoints as { dynamodb: string }).dynamodb);
    try {
      const t0 = performance.now();
      const { file, count } = await backupTable(client, tableName, resolve(values.out ?? 'backups'));
      const s = ((performance.now() - t0) / 1000).toFixed(1);
      console.log(`Sauvegarde écrite : ${file} (${count} éléments, table ${tableName}, ${s} s) — ${how}`);
      return 0;
    } finally {
      client.destroy();
      await dynamo?.close();
    }
  }
  if (command === 'restore') {
    if (!values.file) {
      console.error(USAGE);
      return 2;
    }
    const t0 = performance.now();
    const { table, count } = await restoreBackup(resolve(values.file), dataDir);
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(`Restauration terminée : ${count} éléments dans la table ${table} de ${dataDir} (${s} s).`);
    console.log(`Démarrez-la avec : DATA_DIR=${dataDir} npm start`);
    return 0;
  }
  console.error(USAGE);
  return 2;
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
