/**
 * What the DynamoDB receipt store leaves for DynamoDB's TTL to delete, and what it does not write at all:
 * receipts expire the retention period after their last change, their message id items no later, and a
 * gateway whose reports name their receipt gets no message id item. Read straight from the table.
 */
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoDbReceiptStore } from '../../../lambdas/adapters/dynamodb/dynamodb-receipt-store.js';
import { keys } from '../../../lambdas/adapters/dynamodb/keys.js';
import { createTable, TTL_ATTRIBUTE } from '../../../lambdas/adapters/dynamodb/table.js';
import { at, receiptsFor, uniqueId, uniquePhones } from '../../factories.js';
import { report, submitted } from '../../contracts/receipt-contract-helpers.js';
import { LOCAL_CLIENT_CONFIG } from '../../setup/dynamodb-local.js';

const client = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: inject('dynamoDbEndpoint') });
const documents = DynamoDBDocumentClient.from(client);
const tableName = `loa-ttl-${randomBytes(4).toString('hex')}`;
const table = { db: documents, tableName };
const DAY_S = 24 * 3600;

beforeAll(async () => {
  await createTable(client, tableName);
});

afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  client.destroy();
});

const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

async function ttlOf(key: { pk: string; sk: string }): Promise<unknown> {
  const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return Item === undefined ? 'absent' : Item[TTL_ATTRIBUTE];
}

describe('DynamoDB receipt TTLs', () => {
  it('keeps each receipt the retention period after its last change, and its message id item no longer', async () => {
    const store = new DynamoDbReceiptStore(table, { retentionDays: 10 });
    const [receipt] = receiptsFor(uniqueId('cmp'), uniqueId('run'), uniquePhones(1));
    const key = keys.receipt(receipt!.campaignId, receipt!.runId, receipt!.phone);
    const messageId = uniqueId('msg');
    await store.insertReceipts([receipt!]);
    expect(await ttlOf(key)).toBe(epoch(receipt!.queuedAt) + 10 * DAY_S);

    await store.recordSendOutcomes([submitted(receipt!, messageId)]);
    expect(await ttlOf(key)).toBe(epoch(at(10)) + 10 * DAY_S);
    expect(await ttlOf(keys.message('sim', messageId))).toBe(epoch(at(10)) + 10 * DAY_S);

    await store.recordDeliveryReports([report(messageId)]);
    expect(await ttlOf(key)).toBe(epoch(at(20)) + 10 * DAY_S);
  });

  it('keeps a message id item 30 days at most, whatever the retention', async () => {
    const store = new DynamoDbReceiptStore(table, { retentionDays: 365 });
    const [receipt] = receiptsFor(uniqueId('cmp'), uniqueId('run'), uniquePhones(1));
    const messageId = uniqueId('msg');
    await store.insertReceipts([receipt!]);
    await store.recordSendOutcomes([submitted(receipt!, messageId)]);

    expect(await ttlOf(keys.message('sim', messageId))).toBe(epoch(at(10)) + 30 * DAY_S);
  });

  it('writes no message id item for a gateway whose reports name their receipt', async () => {
    const store = new DynamoDbReceiptStore(table);
    const [receipt] = receiptsFor(uniqueId('cmp'), uniqueId('run'), uniquePhones(1));
    const messageId = uniqueId('msg');
    await store.insertReceipts([receipt!]);

    await store.recordSendOutcomes([{ ...submitted(receipt!, messageId, 'eum'), reportsNameReceipt: true }]);

    expect(await ttlOf(keys.message('eum', messageId))).toBe('absent');
    expect(await store.recordDeliveryReports([{ ...report(messageId, 'delivered', 'eum'), receipt: receipt! }])).toEqual({
      applied: 1,
      unmatched: 0,
    });
  });

  it('applies a report whose message id item names a receipt the submission has not moved yet', async () => {
    // The submission writes the message id item, then the receipt: a sender stopped between the two
    // leaves the receipt queued. The report moves it, and the job sent again finds nothing queued.
    const store = new DynamoDbReceiptStore(table);
    const [receipt] = receiptsFor(uniqueId('cmp'), uniqueId('run'), uniquePhones(1));
    const messageId = uniqueId('msg');
    await store.insertReceipts([receipt!]);
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.message('sim', messageId), campaignId: receipt!.campaignId, runId: receipt!.runId, phone: receipt!.phone },
      }),
    );

    expect(await store.recordDeliveryReports([report(messageId)])).toEqual({ applied: 1, unmatched: 0 });

    expect(await store.getReceipt(receipt!.campaignId, receipt!.runId, receipt!.phone)).toMatchObject({
      status: 'delivered',
      gatewayMessageId: messageId,
    });
    expect(await store.queuedPhones(receipt!.campaignId, receipt!.runId, [receipt!.phone])).toEqual(new Set());
    expect((await store.campaignCounts(receipt!.campaignId)).delivered).toBe(1);
  });
});
