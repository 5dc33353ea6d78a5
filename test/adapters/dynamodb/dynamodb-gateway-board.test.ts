import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoDbGatewayBoard } from '../../../lambdas/adapters/dynamodb/dynamodb-gateway-board.js';
import { createTable } from '../../../lambdas/adapters/dynamodb/table.js';
import type { GatewayReport } from '../../../lambdas/core/gateways/gateway-board.js';
import { LOCAL_CLIENT_CONFIG } from '../../setup/dynamodb-local.js';

const client = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: inject('dynamoDbEndpoint') });
const documents = DynamoDBDocumentClient.from(client);
const tableName = `loa-board-${randomBytes(4).toString('hex')}`;
const board = new DynamoDbGatewayBoard(documents, tableName);

beforeAll(() => createTable(client, tableName));
afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  client.destroy();
});

const report = (sender: string, at: string, submitsPerSecond = 5): GatewayReport => ({
  sender,
  at,
  gateways: [
    {
      id: 'sns',
      state: 'up',
      since: '2026-11-29T03:00:00.000Z',
      messagesPerSecond: undefined,
      submitsPerSecond,
      errorRate: 0.25,
      failovers: 0,
      stateChanges: 0,
    },
  ],
});

describe('DynamoDbGatewayBoard', () => {
  it("gives each sender's latest report posted since a time, and forgets a sender an hour after its last post", async () => {
    await board.post(report('2026/11/29/[$LATEST]aaa', '2026-11-29T04:00:00.000Z', 5));
    await board.post(report('2026/11/29/[$LATEST]aaa', '2026-11-29T04:00:15.000Z', 7));
    await board.post(report('2026/11/29/[$LATEST]bbb', '2026-11-29T04:00:10.000Z'));
    await board.post(report('2026/11/29/[$LATEST]old', '2026-11-29T03:50:00.000Z'));

    const recent = await board.reportsSince('2026-11-29T03:58:00.000Z');

    expect(recent.map((r) => [r.sender, r.at, r.gateways[0]!.submitsPerSecond]).sort()).toEqual([
      ['2026/11/29/[$LATEST]aaa', '2026-11-29T04:00:15.000Z', 7],
      ['2026/11/29/[$LATEST]bbb', '2026-11-29T04:00:10.000Z', 5],
    ]);
    expect(recent[0]!.gateways[0]).not.toHaveProperty('messagesPerSecond');
    const stored = await documents.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'GATEWAYS', sk: 'SENDER#2026/11/29/[$LATEST]aaa' } }),
    );
    expect(stored.Item?.expiresAt).toBe(Date.parse('2026-11-29T04:00:15.000Z') / 1000 + 3600);
  });
});
