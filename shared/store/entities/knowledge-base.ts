import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { keys } from '../keys.js';
import { ABSENT, epochSeconds, MAX_PAGE, strip, type TableClient } from '../table-client.js';

/** A published version of the FAQ knowledge base, without its body (listings). */
export interface KnowledgeBaseVersion {
  versionId: string;
  publishedAt: string;
  by: string;
  note: string | null;
  /** The version in force when this one was published (null: the file): what a rollback goes back to. */
  previousVersionId: string | null;
  /** Topic ids whose answer, label or examples changed against the previous version. */
  changedTopics: string[];
}

/** Which version is in force: null means the file shipped with the code (bot/faq/knowledge-base.json). */
export interface KnowledgeBasePointer {
  versionId: string | null;
  /** Optimistic locking of publish and rollback. */
  revision: number;
  at: string | null;
  by: string | null;
  action: 'publish' | 'rollback' | null;
}

const LISTING = 'KB_VERSIONS';

/** The trained FAQ classifier of a published version, as a chat instance stored it (`putModel`). */
export interface KnowledgeBaseModel {
  /** The classifier's own key (bot/faq/classifier.ts `classifierKey`): it names the code that trained it. */
  key: string;
  data: Uint8Array;
}

/** Bytes of one part: a part is one item, and an item is at most 400 KB with its key and attribute names. */
const MODEL_PART_BYTES = 350_000;
/** Parts read per BatchGetItem: its response is at most 16 MB. */
const MODEL_PARTS_PER_READ = 40;
/** Beyond this many parts (≈ 35 MB gzipped) a model is not stored: the instances train it themselves. */
const MODEL_MAX_PARTS = 100;
/**
 * Stored models expire (DynamoDB TTL) a month after they were written: a superseded version's model is dead weight
 * (megabytes), and one still in force is trained again by the next cold instance and stored anew.
 */
const MODEL_TTL_SECONDS = 30 * 24 * 3600;

/**
 * Staff-published versions of the FAQ knowledge base (docs/faq.md « Published versions »). Each version is one item
 * (`KB#<versionId>`) whose body is the knowledge base gzipped in base64, as the use case gives it: without the merged
 * evaluation sets, which ship with the code (18 KB stored of DynamoDB's 400 KB item limit;
 * test/unit/faq/knowledge-base.test.ts keeps it ≤ 300 KB); one small pointer item (`KB#CURRENT`) says which is in
 * force, so running bots check it cheaply every few seconds and read a body only when it changed.
 */
export class KnowledgeBaseStore {
  constructor(private readonly table: TableClient) {}

  async pointer(): Promise<KnowledgeBasePointer> {
    const p = await this.table.get<KnowledgeBasePointer>(keys.knowledgeBasePointer());
    return p ?? { versionId: null, revision: 0, at: null, by: null, action: null };
  }

  /** Moves the pointer if its revision is still `expectedRevision` (false: someone else published or rolled back). */
  async setPointer(pointer: Omit<KnowledgeBasePointer, 'revision'>, expectedRevision: number): Promise<boolean> {
    return this.table.put(
      { ...keys.knowledgeBasePointer(), type: 'kb_pointer', ...pointer, revision: expectedRevision + 1 },
      expectedRevision === 0
        ? { ConditionExpression: 'attribute_not_exists(pk) OR revision = :r', ExpressionAttributeValues: { ':r': 0 } }
        : { ConditionExpression: 'revision = :r', ExpressionAttributeValues: { ':r': expectedRevision } },
    );
  }

  /** Stores a version (not yet in force). */
  async putVersion(version: KnowledgeBaseVersion, body: unknown): Promise<boolean> {
    const gz = gzipSync(Buffer.from(JSON.stringify(body), 'utf8')).toString('base64');
    return this.table.put(
      {
        ...keys.knowledgeBaseVersion(version.versionId),
        type: 'kb_version',
        gsi3pk: LISTING,
        gsi3sk: `${version.publishedAt}#${version.versionId}`,
        ...version,
        body: gz,
      },
      ABSENT,
    );
  }

  async getVersion(versionId: string): Promise<(KnowledgeBaseVersion & { body: unknown }) | null> {
    const item = await this.table.get<KnowledgeBaseVersion & { body: string }>(keys.knowledgeBaseVersion(versionId));
    if (!item) return null;
    const body = JSON.parse(gunzipSync(Buffer.from(item.body, 'base64')).toString('utf8')) as unknown;
    return { ...item, body };
  }

  /**
   * Keeps the trained classifier of a version for the other instances (docs/faq.md « Published versions »): the
   * chat trains a published version whose phrasings differ from the file's (seconds of CPU), and a cold instance
   * reads it here instead. Gzipped, in parts of 350 KB in the version's partition (`KB#<versionId>`, sk
   * `MODEL#0000`…), then a manifest (sk `MODEL`) with the parts' count and SHA-256, written last: a reader never takes
   * a half-written model, and a model rewritten while read fails its checksum and is not used. False when too big.
   */
  async putModel(versionId: string, model: KnowledgeBaseModel): Promise<boolean> {
    const gz = gzipSync(model.data);
    const parts = Math.ceil(gz.length / MODEL_PART_BYTES);
    if (parts > MODEL_MAX_PARTS) return false;
    const pk = keys.knowledgeBaseVersion(versionId).pk;
    const expiresAt = epochSeconds(this.table.now()) + MODEL_TTL_SECONDS;
    await this.table.batchWrite(
      Array.from({ length: parts }, (_, i) => ({
        PutRequest: {
          Item: {
            pk,
            sk: modelPartKey(i),
            type: 'kb_model_part',
            data: gz.subarray(i * MODEL_PART_BYTES, (i + 1) * MODEL_PART_BYTES),
            expiresAt,
          },
        },
      })),
    );
    await this.table.put({
      pk,
      sk: 'MODEL',
      type: 'kb_model',
      key: model.key,
      parts,
      bytes: gz.length,
      sha256: createHash('sha256').update(gz).digest('hex'),
      storedAt: this.table.now().toISOString(),
      expiresAt,
    });
    return true;
  }

  /** The stored model of a version, or null: none, expired, incomplete or not matching its checksum. */
  async getModel(versionId: string): Promise<KnowledgeBaseModel | null> {
    const pk = keys.knowledgeBaseVersion(versionId).pk;
    const manifest = await this.table.get<{
      key: string;
      parts: number;
      bytes: number;
      sha256: string;
      expiresAt: number;
    }>({ pk, sk: 'MODEL' });
    if (!manifest || manifest.expiresAt <= epochSeconds(this.table.now())) return null;
    const found = new Map<string, Uint8Array>();
    for (let first = 0; first < manifest.parts; first += MODEL_PARTS_PER_READ) {
      const wanted = Array.from({ length: Math.min(MODEL_PARTS_PER_READ, manifest.parts - first) }, (_, i) => ({
        pk,
        sk: modelPartKey(first + i),
      }));
      for (const item of await this.table.batchGet(wanted)) found.set(item.sk as string, item.data as Uint8Array);
    }
    const parts = Array.from({ length: manifest.parts }, (_, i) => found.get(modelPartKey(i)));
    if (parts.some((p) => p === undefined)) return null;
    const gz = Buffer.concat(parts as Uint8Array[]);
    if (gz.length !== manifest.bytes || createHash('sha256').update(gz).digest('hex') !== manifest.sha256) return null;
    return { key: manifest.key, data: gunzipSync(gz) };
  }

  /** Most recent first, without bodies. */
  async listVersions(limit = 50): Promise<KnowledgeBaseVersion[]> {
    const res = await this.table.query({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p',
      ExpressionAttributeValues: { ':p': LISTING },
      ProjectionExpression: 'versionId, publishedAt, #by, note, previousVersionId, changedTopics',
      ExpressionAttributeNames: { '#by': 'by' },
      ScanIndexForward: false,
      Limit: Math.max(1, Math.min(limit, MAX_PAGE)),
    });
    return (res.Items ?? []).map((i) => strip<KnowledgeBaseVersion>(i));
  }
}

const modelPartKey = (i: number) => `MODEL#${String(i).padStart(4, '0')}`;
