import { gunzipSync, gzipSync } from 'node:zlib';
import { keys } from '../keys.js';
import { ABSENT, MAX_PAGE, strip, type TableClient } from '../table-client.js';

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
