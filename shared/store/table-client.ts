import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  UpdateCommand,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed, TransientStoreError, translateAwsError } from './errors.js';
import type { Expression } from './expression.js';
import { KEY_ATTRIBUTES } from './table.js';

export type Item = Record<string, unknown>;
export type Key = { pk: string; sk: string };

/** A command input without its table: the client adds it. */
type Input<T> = Omit<T, 'TableName'>;

type ConditionInput = Pick<
  PutCommandInput,
  'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
>;

/** A bare condition expression, or one with placeholders of its own. */
export type Condition = string | ConditionInput;

/** The condition of a put that must not overwrite: no item with this key yet. */
export const ABSENT = 'attribute_not_exists(pk)';

/** Upper bound of one page of a listing (a client asking for more gets this many). */
export const MAX_PAGE = 200;

const BATCH_WRITE_SIZE = 25;
const BATCH_ATTEMPTS = 8;

/**
 * The one table, as the entity modules (shared/store/entities/) see it: typed calls that add the table name, turn a
 * failed condition into a value (ifCondition), follow pagination, and retry unprocessed batch items. Every SDK error
 * goes through `call`'s translation (errors.ts), so no entity module catches an AWS error itself.
 */
export class TableClient {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly name: string,
    /** Injected clock (tests, benchmarks). */
    readonly now: () => Date,
  ) {}

  async getRaw(key: Key): Promise<Item | null> {
    const res = await this.call(
      'GetItem',
      this.doc.send(new GetCommand({ TableName: this.name, Key: key, ConsistentRead: true })),
    );
    return res.Item ?? null;
  }

  async get<T>(key: Key): Promise<T | null> {
    const item = await this.getRaw(key);
    return item ? strip<T>(item) : null;
  }

  /** True when written; false when `condition` was given and failed (nothing written). */
  async put(item: Item, condition?: Condition): Promise<boolean> {
    const out = await this.ifCondition(
      this.call('PutItem', this.doc.send(new PutCommand({ TableName: this.name, Item: item, ...when(condition) }))),
    );
    return out !== null;
  }

  /** UpdateItem written by hand. A failed condition reaches the caller as the SDK's error (see ifCondition). */
  async update(input: Input<UpdateCommandInput>): Promise<UpdateCommandOutput> {
    return this.call('UpdateItem', this.doc.send(new UpdateCommand({ TableName: this.name, ...input })));
  }

  /** UpdateItem with `x` under `condition`: the item as written, or null when the condition failed. */
  async updateIf(key: Key, x: Expression, condition: string): Promise<Item | null> {
    const out = await this.ifCondition(
      this.update({
        Key: key,
        UpdateExpression: x.update(),
        ConditionExpression: condition,
        ...x.attributes(),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out ? (out.Attributes ?? {}) : null;
  }

  /** True when deleted (or absent, without a condition); false when `condition` was given and failed. */
  async delete(key: Key, condition?: Condition): Promise<boolean> {
    const out = await this.ifCondition(
      this.call('DeleteItem', this.doc.send(new DeleteCommand({ TableName: this.name, Key: key, ...when(condition) }))),
    );
    return out !== null;
  }

  /**
   * A conditional write made through this client: its output, or null when its condition failed (nothing was
   * written). The one place a failed condition becomes a value.
   */
  async ifCondition<T>(write: Promise<T>): Promise<T | null> {
    try {
      return await write;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return null;
      throw err;
    }
  }

  /** One page of a Query (the caller sets Limit, direction, start key). */
  async query(input: Input<QueryCommandInput>): Promise<QueryCommandOutput> {
    return this.call('Query', this.doc.send(new QueryCommand({ TableName: this.name, ...input })));
  }

  /** Follows LastEvaluatedKey to the end (lists that are bounded by nature: one application, one index list). */
  async queryAll(input: Input<QueryCommandInput>): Promise<Item[]> {
    const out: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.query({ ...input, ExclusiveStartKey: start });
      out.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** A typed listing of gsi3 (see table.ts), in its sort-key order. */
  async listType<T>(gsi3pk: string): Promise<T[]> {
    const items = await this.queryAll({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p',
      ExpressionAttributeValues: { ':p': gsi3pk },
    });
    return items.map((i) => strip<T>(i));
  }

  /**
   * Consistent reads of a few keys (≤ 100), retrying unprocessed keys. Order is not kept. `projection` reads only
   * some attributes (a list that shows three fields of a large item).
   */
  async batchGet(
    keyList: Key[],
    projection?: { ProjectionExpression: string; ExpressionAttributeNames?: Record<string, string> },
  ): Promise<Item[]> {
    const out: Item[] = [];
    await untilProcessed('BatchGetItem', 'UnprocessedKeys', keyList as Item[], async (pending) => {
      const res = await this.call(
        'BatchGetItem',
        this.doc.send(
          new BatchGetCommand({
            RequestItems: { [this.name]: { Keys: pending, ConsistentRead: true, ...projection } },
          }),
        ),
      );
      out.push(...((res.Responses?.[this.name] ?? []) as Item[]));
      return res.UnprocessedKeys?.[this.name]?.Keys ?? [];
    });
    return out;
  }

  /** BatchWriteItem in chunks of 25, retrying unprocessed items. */
  async batchWrite(requests: NonNullable<BatchWriteCommandInput['RequestItems']>[string]): Promise<void> {
    for (let i = 0; i < requests.length; i += BATCH_WRITE_SIZE) {
      await untilProcessed('BatchWriteItem', 'UnprocessedItems', requests.slice(i, i + BATCH_WRITE_SIZE), async (p) => {
        const res = await this.call(
          'BatchWriteItem',
          this.doc.send(new BatchWriteCommand({ RequestItems: { [this.name]: p } })),
        );
        return res.UnprocessedItems?.[this.name] ?? [];
      });
    }
  }

  /** Awaits an SDK call and translates its error (ConditionalCheckFailed passes through for the caller to name). */
  private async call<T>(operation: string, promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (err) {
      if (isConditionalCheckFailed(err)) throw err;
      return translateAwsError(err, operation);
    }
  }
}

/**
 * The one retry loop for a batch's unprocessed part (DynamoDB returns it under load): `send` takes what is pending
 * and returns what is still unprocessed; backoff with jitter between rounds, then TransientStoreError.
 */
async function untilProcessed<T>(
  operation: string,
  unprocessed: string,
  first: T[],
  send: (pending: T[]) => Promise<T[]>,
): Promise<void> {
  let pending = first;
  for (let attempt = 0; pending.length; attempt++) {
    if (attempt >= BATCH_ATTEMPTS) throw new TransientStoreError(operation, unprocessed);
    if (attempt > 0) await sleep(Math.min(1000, 10 * 2 ** attempt) * (0.5 + Math.random() / 2));
    pending = await send(pending);
  }
}

function when(condition: Condition | undefined): ConditionInput {
  if (!condition) return {};
  return typeof condition === 'string' ? { ConditionExpression: condition } : condition;
}

const STRIPPED = new Set(KEY_ATTRIBUTES);

/** The entity without the table's layout attributes (keys, index keys, `type`). */
export function strip<T>(item: Item): T {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) if (!STRIPPED.has(k)) out[k] = v;
  return out as T;
}

/** DynamoDB TTL attributes are epoch seconds. */
export function epochSeconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
