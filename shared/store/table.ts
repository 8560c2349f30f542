import type { CreateTableCommandInput, UpdateTimeToLiveCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The single source of the table shape. Plain data so that the CDK stack (`dynamodb.Table` props: the string values
 * equal `AttributeType.STRING`, `ProjectionType.ALL`, `BillingMode.PAY_PER_REQUEST`) and the local runtime
 * (`toCreateTableInput`, dynalite) build the same table.
 *
 * Indexes (all sparse: an item is in an index only while it carries that index's key attributes):
 * - gsi1: staff inbox of open tasks. pk `INBOX#<step>`, sk `<openedAt ISO>#<taskId>` → oldest first per step.
 * - gsi2: published places. pk `PLACE`, sk `<departement>#<applicationId>#<n>` → one Query for the map,
 *   `begins_with` for one département.
 * - gsi3: typed listings. pk names the list (`ACTIVE`, `CAMPAIGN`, `NETWORK`, `MEMBERS#<networkId>`, `STAFF`,
 *   `OUTBOX`, `AUDIT`, `TASKS#<applicationId>`, `INJECTIONS`, `INJECTIONS#<departement>`), sk orders it.
 */
export const TABLE_DEFINITION = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  billingMode: 'PAY_PER_REQUEST',
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    {
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
      projectionType: 'ALL',
    },
    {
      indexName: 'gsi2',
      partitionKey: { name: 'gsi2pk', type: 'S' },
      sortKey: { name: 'gsi2sk', type: 'S' },
      projectionType: 'ALL',
    },
    {
      indexName: 'gsi3',
      partitionKey: { name: 'gsi3pk', type: 'S' },
      sortKey: { name: 'gsi3sk', type: 'S' },
      projectionType: 'ALL',
    },
  ],
} as const;

export type TableDefinition = typeof TABLE_DEFINITION;
export type IndexName = TableDefinition['globalSecondaryIndexes'][number]['indexName'];

/** Attributes that belong to the table layout, never to the stored entities. */
export const KEY_ATTRIBUTES: readonly string[] = [
  TABLE_DEFINITION.partitionKey.name,
  TABLE_DEFINITION.sortKey.name,
  'type',
  ...TABLE_DEFINITION.globalSecondaryIndexes.flatMap((i) => [i.partitionKey.name, i.sortKey.name]),
];

/** CreateTable input for the SDK (local runtime, tests). TTL is a separate call on AWS (dynalite has none). */
export function toCreateTableInput(tableName: string): CreateTableCommandInput {
  const d = TABLE_DEFINITION;
  const names = new Set<string>([d.partitionKey.name, d.sortKey.name]);
  for (const i of d.globalSecondaryIndexes) {
    names.add(i.partitionKey.name);
    names.add(i.sortKey.name);
  }
  return {
    TableName: tableName,
    BillingMode: d.billingMode,
    AttributeDefinitions: [...names].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: d.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: d.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: d.globalSecondaryIndexes.map((i) => ({
      IndexName: i.indexName,
      KeySchema: [
        { AttributeName: i.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: i.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: i.projectionType },
    })),
  };
}

/** UpdateTimeToLive input, for AWS only (dynalite lacks the operation and never expires items). */
export function toUpdateTimeToLiveInput(tableName: string): UpdateTimeToLiveCommandInput {
  return {
    TableName: tableName,
    TimeToLiveSpecification: { AttributeName: TABLE_DEFINITION.timeToLiveAttribute, Enabled: true },
  };
}
