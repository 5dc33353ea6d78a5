import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CLAIMS_PER_SECOND, DynamoDbRateLimiter, sharedRateLimiters } from '../../../lambdas/adapters/dynamodb/dynamodb-rate-limiter.js';
import { createTable } from '../../../lambdas/adapters/dynamodb/table.js';
import type { Clock } from '../../../lambdas/core/ports.js';
import { LOCAL_CLIENT_CONFIG } from '../../setup/dynamodb-local.js';

const client = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: inject('dynamoDbEndpoint') });
const db = DynamoDBDocumentClient.from(client);
const tableName = `loa-rate-${randomBytes(4).toString('hex')}`;
const table = { db, tableName };
let writes = 0;
client.middlewareStack.add(
  (next, context) => async (args) => {
    if (context.commandName === 'UpdateItemCommand') writes++;
    return next(args);
  },
  { step: 'initialize' },
);

beforeAll(() => createTable(client, tableName));
afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  client.destroy();
});

/** A clock that only moves when a sender sleeps: to the end of its sleep, never back (two may sleep at once). */
function fakeTime(start = Date.parse('2026-12-05T03:00:00.000Z')) {
  let now = start;
  const clock: Clock = { now: () => new Date(now) };
  const sleep = async (ms: number) => {
    const until = now + ms;
    await new Promise((resolve) => setImmediate(resolve));
    now = Math.max(now, until);
  };
  return { clock, sleep, start };
}

/** Takes `count` messages of `parts` each, noting the second each was let through in. */
async function sendThrough(limiter: DynamoDbRateLimiter, count: number, parts: number, clock: Clock, taken: Map<number, number>) {
  for (let i = 0; i < count; i++) {
    await limiter.take(parts);
    const second = Math.floor(clock.now().getTime() / 1000);
    taken.set(second, (taken.get(second) ?? 0) + parts);
  }
}

describe('DynamoDbRateLimiter', () => {
  it('lets two senders of one gateway together take at most its rate in any second, writing a few times a second', async () => {
    const { clock, sleep, start } = fakeTime();
    const [a, b] = [0, 1].map(() => new DynamoDbRateLimiter(table, 'viettel-smpp', 20, clock, sleep)) as [
      DynamoDbRateLimiter,
      DynamoDbRateLimiter,
    ];
    const taken = new Map<number, number>();
    writes = 0;

    await Promise.all([sendThrough(a, 60, 1, clock, taken), sendThrough(b, 40, 2, clock, taken)]);

    // 140 parts at 20 a second: never more than 20 in a second, and done in 7 to 8 seconds (a chunk may be lost a second).
    expect(Math.max(...taken.values())).toBeLessThanOrEqual(20);
    expect([...taken.values()].reduce((sum, parts) => sum + parts, 0)).toBe(140);
    const seconds = (clock.now().getTime() - start) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(6);
    expect(seconds).toBeLessThanOrEqual(9);
    // Per sender and second: its claims of a quarter of the rate, plus one refused when the second is full.
    expect(writes).toBeLessThanOrEqual(seconds * 2 * (CLAIMS_PER_SECOND + 1));
    const bucket = await db.send(new GetCommand({ TableName: tableName, Key: { pk: 'RATE#viettel-smpp', sk: String(start / 1000) } }));
    expect(bucket.Item).toMatchObject({ taken: 20, expiresAt: start / 1000 + 60 });
  });

  it('takes a message longer than a chunk at once, and one longer than a second as a full second', async () => {
    const { clock, sleep } = fakeTime(Date.parse('2026-12-05T04:00:00.000Z'));
    const limiter = new DynamoDbRateLimiter(table, 'esms', 8, clock, sleep);
    const taken = new Map<number, number>();
    await sendThrough(limiter, 2, 3, clock, taken);
    expect([...taken.values()]).toEqual([6]);
    await limiter.take(50);
    // The 2 parts left of the first second were not enough: the 50-part message took the whole next second.
    expect(clock.now().getTime() % 1000).toBe(0);
    expect(Math.floor(clock.now().getTime() / 1000)).toBe([...taken.keys()][0]! + 1);
  });

  it('gives no limiter to a gateway without a rate', () => {
    const { clock, sleep } = fakeTime();
    const limiters = sharedRateLimiters(table, clock, sleep);
    expect(limiters({ id: 'unlimited', messagesPerSecond: undefined })).toBeUndefined();
    expect(limiters({ id: 'sns', messagesPerSecond: 20 })).toBeInstanceOf(DynamoDbRateLimiter);
  });
});
