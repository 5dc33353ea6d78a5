/**
 * The one DynamoDB table of Loa: its keys, indexes and the shard counts that keep every partition key
 * under 1,000 writes a second while a million-recipient campaign goes out at ~20,000 messages a second.
 * The access patterns and the arithmetic behind each number are in README.md next to this file.
 */
import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/** Global secondary indexes, each with its key attributes (sparse: an item without them is not in it). */
export const Index = {
  /**
   * Lists in their console order: templates, campaigns, areas, opt-outs, audit, vans, tours; and tour
   * runs by the UTC day of their start (ALL).
   */
  lists: { name: 'lists', pk: 'gsi1pk', sk: 'gsi1sk' },
  /**
   * What the timers look for: campaigns due to fire, runs still sending, tours planned or due, tour runs
   * awaiting confirmation (ALL, sparse).
   */
  timers: { name: 'timers', pk: 'gsi2pk', sk: 'gsi2sk' },
  /** Subscribers by shard and area path, for segment walks and counts (INCLUDE, sparse). */
  subscribersByArea: { name: 'subscribersByArea', pk: 'walkPk', sk: 'walkSk' },
  /** A campaign's receipts by shard, run and phone (KEYS_ONLY: written once, when a receipt is queued). */
  receiptsByCampaign: { name: 'receiptsByCampaign', pk: 'rcPk', sk: 'rcSk' },
  /** Receipts waiting for a delivery report, by shard and submission time, for expiry (INCLUDE, sparse). */
  receiptsAwaitingReport: { name: 'receiptsAwaitingReport', pk: 'awPk', sk: 'awSk' },
} as const;

/** Epoch seconds after which DynamoDB deletes the item (daily slots, matched message ids). */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * Shard counts. Each is sized so that the busiest key of its kind stays well under 1,000 writes a
 * second at 20,000 messages a second (see README.md); readers of a sharded key query every shard.
 */
export const Shards = {
  /** Receipt listing index: one write per receipt (on insert): 20,000/s over 64 = 313/s. */
  receiptList: 64,
  /** Awaiting-report index: a put on submit and a delete on the report: 40,000/s over 128 = 313/s. */
  awaitingReport: 128,
  /**
   * Receipt counters of one campaign: per transaction of receipts, one update by carrier and one per
   * area and delivered minute it moves, all on one shard. Sized less for the write rate than for
   * transaction conflicts: two transactions touching one shard at once fail one of them, so the shards
   * must each see few transactions a second.
   */
  counters: 64,
  /** Count of delivery reports that matched no receipt. */
  unmatched: 16,
  /** Subscribers in the area index: imports write here, never a campaign. */
  subscribers: 16,
} as const;

/**
 * The CreateTable input of the table: pk/sk, the five indexes, on-demand billing. TTL is not part of
 * CreateTable: `createTable` turns it on for `TTL_ATTRIBUTE`, and the CDK table sets
 * `timeToLiveAttribute: TTL_ATTRIBUTE`.
 */
export function tableDefinition(name: string): CreateTableCommandInput {
  const keys = (pk: string, sk: string) => [
    { AttributeName: pk, KeyType: 'HASH' as const },
    { AttributeName: sk, KeyType: 'RANGE' as const },
  ];
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: ['pk', 'sk', ...Object.values(Index).flatMap((index) => [index.pk, index.sk])].map((AttributeName) => ({
      AttributeName,
      AttributeType: 'S' as const,
    })),
    KeySchema: keys('pk', 'sk'),
    GlobalSecondaryIndexes: [
      {
        IndexName: Index.lists.name,
        KeySchema: keys(Index.lists.pk, Index.lists.sk),
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: Index.timers.name,
        KeySchema: keys(Index.timers.pk, Index.timers.sk),
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: Index.subscribersByArea.name,
        KeySchema: keys(Index.subscribersByArea.pk, Index.subscribersByArea.sk),
        Projection: {
          ProjectionType: 'INCLUDE',
          NonKeyAttributes: ['phone', 'carrier', 'tags', 'areaCode', 'optedOut'],
        },
      },
      {
        IndexName: Index.receiptsByCampaign.name,
        KeySchema: keys(Index.receiptsByCampaign.pk, Index.receiptsByCampaign.sk),
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
      {
        IndexName: Index.receiptsAwaitingReport.name,
        KeySchema: keys(Index.receiptsAwaitingReport.pk, Index.receiptsAwaitingReport.sk),
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['campaignId', 'runId', 'phone', 'carrier'] },
      },
    ],
  };
}

/** Creates the table, waits until it is active and turns TTL on (tests and local runs; CDK does this on AWS). */
export async function createTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(new CreateTableCommand(tableDefinition(name)));
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: name });
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
  if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
  }
}
