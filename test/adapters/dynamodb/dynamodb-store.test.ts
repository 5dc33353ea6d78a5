import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dynamoDbStores as storesOnTable } from '../../../lambdas/adapters/dynamodb/dynamodb-stores.js';
import { Index, Shards, createTable } from '../../../lambdas/adapters/dynamodb/table.js';
import type { CampaignRun } from '../../../lambdas/core/model.js';
import type { Stores } from '../../../lambdas/core/ports.js';
import { describeAudienceStoreContract } from '../../contracts/audience-store-contract.js';
import { describeAuditStoreContract } from '../../contracts/audit-store-contract.js';
import { describeCampaignStoreContract } from '../../contracts/campaign-store-contract.js';
import { describeIdempotencyStoreContract } from '../../contracts/idempotency-store-contract.js';
import { describeImportStoreContract } from '../../contracts/import-store-contract.js';
import { describeReceiptStoreContract } from '../../contracts/receipt-store-contract.js';
import type { OpenedStores } from '../../contracts/store-contract-fixture.js';
import { describeTemplateStoreContract } from '../../contracts/template-store-contract.js';
import { aTourRun, describeTourStoreContract } from '../../contracts/tour-store-contract.js';
import { anAuditEntry, aRun, at, receiptsFor, uniqueId, uniquePhones } from '../../factories.js';
import { LOCAL_CLIENT_CONFIG } from '../../setup/dynamodb-local.js';

// One table for the file, on the DynamoDB Local started by test/setup/dynamodb-local.ts; every
// contract test makes its own ids, so the tests share it as they would share a table on AWS.
const client = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: inject('dynamoDbEndpoint') });
const documents = DynamoDBDocumentClient.from(client);
const tableName = `loa-store-${randomBytes(4).toString('hex')}`;

/** Every request the store sends, as DynamoDB receives it (after the document client's marshalling). */
const requests: { command: string; input: Record<string, unknown> }[] = [];
client.middlewareStack.add(
  (next, context) => async (args) => {
    requests.push({ command: context.commandName ?? '', input: args.input as Record<string, unknown> });
    return next(args);
  },
  { step: 'build', name: 'recordRequests' },
);

beforeAll(async () => {
  await createTable(client, tableName);
});

afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  client.destroy();
});

/** The stores over the file's table. */
function dynamoDbStores(): Stores {
  return storesOnTable(documents, tableName);
}

const openStores = async (): Promise<OpenedStores> => ({ stores: dynamoDbStores(), close: async () => {} });
describeTemplateStoreContract('DynamoDB', openStores);
describeAudienceStoreContract('DynamoDB', openStores);
describeCampaignStoreContract('DynamoDB', openStores);
describeReceiptStoreContract('DynamoDB', openStores);
describeTourStoreContract('DynamoDB', openStores);
describeAuditStoreContract('DynamoDB', openStores);
describeIdempotencyStoreContract('DynamoDB', openStores);
describeImportStoreContract('DynamoDB', openStores);

describe('DynamoDbStore', () => {
  it('never scans the table, on any path of the contract', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((r) => r.command.startsWith('Scan'))).toEqual([]);
  });

  it("reads a province's week of tour runs with one query per UTC day it touches", async () => {
    const store = dynamoDbStores();
    // A local week (UTC+7) of 1,400 runs, 200 a day from 06:00 to 20:00 local time.
    const from = '2033-01-02T17:00:00.000Z';
    const to = '2033-01-09T17:00:00.000Z';
    const runs = Array.from({ length: 1_400 }, (_, i) =>
      aTourRun(new Date(Date.parse(from) + Math.floor(i / 200) * 86_400_000 + (6 * 60 + (i % 200) * 4) * 60_000).toISOString()),
    );
    for (let i = 0; i < runs.length; i += 50) await Promise.all(runs.slice(i, i + 50).map((run) => store.tours.insertTourRun(run)));
    requests.length = 0;

    const found = await store.tours.tourRunsBetween(from, to);

    expect(found.filter((run) => runs.some((own) => own.tourId === run.tourId))).toHaveLength(runs.length);
    expect(requests.map((r) => r.command)).toEqual(Array.from({ length: 8 }, () => 'QueryCommand'));
  }, 60_000);

  it('stops a filtered page after a bounded read and goes on from its cursor', async () => {
    const store = dynamoDbStores();
    const minh = uniqueId('minh');
    // Minh's one entry, then 1,100 newer entries of others: the newest-first walk meets Minh's last.
    const mine = anAuditEntry({ actor: minh, at: '2034-01-01T00:00:00.000Z' });
    const others = Array.from({ length: 1_100 }, (_, i) =>
      anAuditEntry({ at: new Date(Date.parse(mine.at) + (i + 1) * 1000).toISOString() }),
    );
    await store.audit.appendAudit([mine, ...others]);
    requests.length = 0;

    const first = await store.audit.listAudit({ limit: 10 }, { actor: minh, from: mine.at, to: '2034-01-02T00:00:00.000Z' });
    const examined = requests.reduce((sum, r) => sum + Number(r.input.Limit ?? 0), 0);
    const second = await store.audit.listAudit(
      { limit: 10, cursor: first.nextCursor! },
      { actor: minh, from: mine.at, to: '2034-01-02T00:00:00.000Z' },
    );

    expect(first.items).toEqual([]);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(examined).toBeLessThanOrEqual(1_000);
    expect(second.items).toEqual([mine]);
    expect(second.nextCursor).toBeUndefined();
  }, 60_000);

  it('applies a report racing its submission exactly once, whichever write lands first', async () => {
    const store = dynamoDbStores();
    const run = aRun();
    const phones = uniquePhones(12);
    await store.receipts.insertReceipts(receiptsFor(run.campaignId, run.runId, phones));
    const ids = phones.map(() => uniqueId('msg'));
    const unmatchedBefore = await store.receipts.countUnmatchedReports();
    const outcomes = phones.map((phone, i) => ({
      campaignId: run.campaignId,
      runId: run.runId,
      phone,
      status: 'submitted' as const,
      gatewayId: 'sim',
      gatewayMessageId: ids[i] as string,
      attempts: 1,
      at: at(10),
    }));
    const reports = ids.map((messageId, i) => ({
      gatewayId: 'sim',
      messageId,
      status: i % 2 === 0 ? ('delivered' as const) : ('failed' as const),
      at: at(20),
    }));

    // Submissions and reports, each in small batches and twice over, all at once.
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < phones.length; i += 4) {
      calls.push(store.receipts.recordDeliveryReports(reports.slice(i, i + 4)));
      calls.push(store.receipts.recordSendOutcomes(outcomes.slice(i, i + 4)));
      calls.push(store.receipts.recordDeliveryReports(reports.slice(i, i + 4)));
      calls.push(store.receipts.recordSendOutcomes(outcomes.slice(i, i + 4)));
    }
    await Promise.all(calls);

    const statuses = await Promise.all(
      phones.map(async (phone) => (await store.receipts.getReceipt(run.campaignId, run.runId, phone))?.status),
    );
    expect(statuses).toEqual(phones.map((_, i) => (i % 2 === 0 ? 'delivered' : 'failed')));
    expect(await store.receipts.countUnmatchedReports()).toBe(unmatchedBefore);
    const counts = await store.receipts.campaignCounts(run.campaignId, run.runId);
    expect({ delivered: counts.delivered, failed: counts.failed, total: counts.total }).toEqual({
      delivered: 6,
      failed: 6,
      total: 12,
    });
  });

  it('keeps every partition key under 1,000 writes a second for a campaign at 20,000 messages a second', async () => {
    const store = dynamoDbStores();
    const messages = 400;
    const slice = 200;
    const reportBatch = 100;
    const run: CampaignRun = aRun();
    await store.campaigns.insertRun(run);
    requests.length = 0;

    // One run's dispatch, as the fan-out, the senders and the report intake call the store. The walk
    // hands out recipients in area order (here 80 areas of 5), so a slice's receipts and outcomes are in
    // a few areas; reports come back in any order, here the worst: consecutive ones in different areas.
    const phones = uniquePhones(messages);
    const areas = Array.from({ length: 80 }, () => uniqueId('area'));
    const areaOf = new Map(phones.map((phone, i) => [phone, areas[Math.floor(i / 5)]!]));
    const interleaved = (batch: string[]) => [...batch].sort((a, b) => (phones.indexOf(a) % 5) - (phones.indexOf(b) % 5));
    for (let start = 0; start < messages; start += slice) {
      const batch = phones.slice(start, start + slice);
      await store.receipts.insertReceipts(
        receiptsFor(run.campaignId, run.runId, batch).map((receipt) => ({ ...receipt, areaCode: areaOf.get(receipt.phone)! })),
      );
      await store.receipts.takeDailySlots(run, batch, '2026-03-02', 3);
      await store.campaigns.saveRun({ ...run, cursor: batch[batch.length - 1] });
      expect((await store.receipts.queuedPhones(run.campaignId, run.runId, batch)).size).toBe(batch.length);
      const ids = new Map(batch.map((phone) => [phone, uniqueId('msg')]));
      await store.receipts.recordSendOutcomes(
        batch.map((phone) => ({
          campaignId: run.campaignId,
          runId: run.runId,
          phone,
          status: 'submitted' as const,
          gatewayId: 'sim',
          gatewayMessageId: ids.get(phone) as string,
          attempts: 1,
          at: at(10),
        })),
      );
      const reportOrder = interleaved(batch);
      for (let r = 0; r < batch.length; r += reportBatch) {
        const reports = reportOrder.slice(r, r + reportBatch).map((phone) => ({
          gatewayId: 'sim',
          messageId: ids.get(phone) as string,
          status: 'delivered' as const,
          at: at(20),
        }));
        expect((await store.receipts.recordDeliveryReports(reports)).applied).toBe(reports.length);
      }
    }
    expect((await store.receipts.campaignCounts(run.campaignId, run.runId)).delivered).toBe(messages);

    // A key of one message (its receipt, its message id, its phone's daily slot) takes a few writes
    // in all, however long the campaign. Any other key takes writes in proportion to the messages:
    // its rate at 20,000 msgs/s is its share of the writes; for a sharded key, its family's over the
    // shard count, which is what a million messages converge to (a few hundred are too few to judge
    // one hashed shard by itself).
    const writes = writesPerPartitionKey(requests);
    const perMessage = [...writes].filter(([key]) => PER_MESSAGE.test(key));
    expect(perMessage.length).toBeGreaterThanOrEqual(3 * messages);
    expect(perMessage.filter(([, n]) => n > 3)).toEqual([]);
    const rates = new Map<string, number>();
    for (const [key, n] of writes) {
      if (PER_MESSAGE.test(key)) continue;
      const sharded = SHARDED.find(([pattern]) => pattern.test(key));
      const name = sharded ? key.replace(/#\d+$/, '#<shard>') : key;
      const perSecond = ((n / messages) * 20_000) / (sharded ? sharded[1] : 1);
      rates.set(name, (rates.get(name) ?? 0) + perSecond);
    }
    const busiest = [...rates].sort(([, a], [, b]) => b - a);
    const top = busiest.slice(0, 8).map(([key, perSecond]) => `${key} ${Math.round(perSecond)}`);
    console.log(`writes a second per key at 20,000 msgs/s: ${top.join(', ')}`);
    expect(busiest.filter(([, perSecond]) => perSecond >= 1_000)).toEqual([]);
    // And the sharded families are really spread: the receipt index over every shard.
    expect([...writes.keys()].filter((k) => k.startsWith(`rcPk RC#${run.campaignId}#`)).length).toBeGreaterThan(Shards.receiptList / 2);

    // Its progress by area and minute is one query per counter shard, as it would be for a million.
    requests.length = 0;
    const progress = await store.receipts.campaignProgress(run.campaignId);
    expect(Object.values(progress.byArea).map((counts) => counts.delivered)).toEqual(areas.map(() => messages / areas.length));
    expect(progress.deliveredByMinute).toEqual([{ minute: '2026-03-02T01:00:00.000Z', delivered: messages }]);
    expect(requests.map((r) => r.command)).toEqual(Array.from({ length: Shards.counters }, () => 'QueryCommand'));
  }, 120_000);
});

/** Keys of one message: its receipt, its message id item, its phone's daily slot. */
const PER_MESSAGE = /^table (RCPT|MSG|SLOT)#/;

/** Keys spread over shards, and how many shards each kind has. */
const SHARDED: [RegExp, number][] = [
  [/^awPk AW#\d+$/, Shards.awaitingReport],
  [/^rcPk RC#.+#\d+$/, Shards.receiptList],
  [/^table CNT#.+#\d+$/, Shards.counters],
  [/^table UNMATCHED#\d+$/, Shards.unmatched],
  [/^walkPk SW#\d+$/, Shards.subscribers],
];

const INDEX_KEYS: readonly string[] = Object.values(Index).map((index) => index.pk);

/**
 * Writes each partition key took, in the table and in each index, from the requests: a put counts for
 * its item's key and for each index key it carries; an update for its key and for each index key it
 * sets or removes (a removal is a write to the index key the item had).
 */
function writesPerPartitionKey(recorded: { command: string; input: Record<string, unknown> }[]): Map<string, number> {
  const writes = new Map<string, number>();
  const indexKeysOf = new Map<string, Map<string, string>>();
  const count = (key: string) => writes.set(key, (writes.get(key) ?? 0) + 1);
  const s = (value: AttributeValue | undefined) => (value && 'S' in value ? value.S : undefined);

  const put = (item: Record<string, AttributeValue>) => {
    const pk = s(item.pk) as string;
    count(`table ${pk}`);
    const indexKeys = new Map<string, string>();
    for (const attribute of INDEX_KEYS) {
      const value = s(item[attribute]);
      if (value !== undefined) {
        indexKeys.set(attribute, value);
        count(`${attribute} ${value}`);
      }
    }
    indexKeysOf.set(`${pk}|${s(item.sk)}`, indexKeys);
  };
  const update = (u: {
    Key: Record<string, AttributeValue>;
    UpdateExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, AttributeValue>;
  }) => {
    const pk = s(u.Key.pk) as string;
    const itemKey = `${pk}|${s(u.Key.sk)}`;
    count(`table ${pk}`);
    const indexKeys = indexKeysOf.get(itemKey) ?? new Map<string, string>();
    const name = (token: string) => u.ExpressionAttributeNames?.[token] ?? token;
    for (const [, token, valueToken] of (u.UpdateExpression ?? '').matchAll(/([#\w]+) = (:\w+)/g)) {
      const attribute = name(token as string);
      const value = s(u.ExpressionAttributeValues?.[valueToken as string]);
      if (INDEX_KEYS.includes(attribute) && value !== undefined) {
        indexKeys.set(attribute, value);
        count(`${attribute} ${value}`);
      }
    }
    const removed = /REMOVE ([\s\S]*?)(?: SET |$)/.exec(u.UpdateExpression ?? '')?.[1] ?? '';
    for (const token of removed.split(',').map((t) => t.trim())) {
      const attribute = name(token);
      const value = indexKeys.get(attribute);
      if (value !== undefined) {
        count(`${attribute} ${value}`);
        indexKeys.delete(attribute);
      }
    }
    indexKeysOf.set(itemKey, indexKeys);
  };

  for (const { command, input } of recorded) {
    if (command === 'PutItemCommand') put(input.Item as Record<string, AttributeValue>);
    if (command === 'UpdateItemCommand') update(input as Parameters<typeof update>[0]);
    if (command === 'DeleteItemCommand') count(`table ${s((input.Key as Record<string, AttributeValue>).pk)}`);
    if (command === 'TransactWriteItemsCommand') {
      for (const item of input.TransactItems as Record<string, Record<string, unknown>>[]) {
        if (item.Put) put(item.Put.Item as Record<string, AttributeValue>);
        if (item.Update) update(item.Update as Parameters<typeof update>[0]);
        if (item.Delete) count(`table ${s((item.Delete.Key as Record<string, AttributeValue>).pk)}`);
      }
    }
    if (command === 'BatchWriteItemCommand') {
      const requestItems = input.RequestItems as Record<string, { PutRequest?: { Item: Record<string, AttributeValue> } }[]>;
      for (const batch of Object.values(requestItems)) {
        for (const request of batch) if (request.PutRequest) put(request.PutRequest.Item);
      }
    }
  }
  return writes;
}
