import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteQueue } from '../../../lambdas/adapters/sqlite/sqlite-queue.js';
import { openSqliteStores } from '../../../lambdas/adapters/sqlite/sqlite-stores.js';
import { describeQueueContract, ManualClock } from '../../contracts/queue-contract.js';
import { aSendJob } from '../../factories.js';

const dir = mkdtempSync(join(tmpdir(), 'loa-sqlite-queue-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

describeQueueContract('SQLite', async (clock) => {
  const queue = SqliteQueue.open(join(dir, `queue-${++files}.db`), clock);
  return { queue, close: async () => queue.close() };
});

describe('SqliteQueue', () => {
  it('keeps queued and leased jobs across a restart', async () => {
    const file = join(dir, 'restart.db');
    const clock = new ManualClock();
    const before = SqliteQueue.open(file, clock);
    const [waiting, leased] = [aSendJob(), aSendJob()];
    await before.enqueue([leased!]);
    await before.take(1, 60_000);
    await before.enqueue([waiting!]);
    before.close();

    const after = SqliteQueue.open(file, clock);
    const [first] = await after.take(10, 60_000);
    expect(first?.job).toEqual(waiting);
    await after.complete(first!);
    expect(await after.take(10, 60_000)).toEqual([]);
    clock.advance(60_000);
    expect((await after.take(10, 60_000)).map((t) => t.job)).toEqual([leased]);
    after.close();
  });

  it('frees every lease at start, so jobs of a crashed process are handed out at once', async () => {
    const file = join(dir, 'release.db');
    const clock = new ManualClock();
    const crashed = SqliteQueue.open(file, clock);
    const job = aSendJob();
    await crashed.enqueue([job]);
    await crashed.take(1, 60_000);
    crashed.close();

    const restarted = SqliteQueue.open(file, clock);
    expect(restarted.releaseAllLeases()).toBe(1);
    expect((await restarted.take(10, 60_000)).map((t) => t.job)).toEqual([job]);
    restarted.close();
  });

  it('shares a file with the store', async () => {
    const file = join(dir, 'shared.db');
    const store = openSqliteStores(file);
    const queue = new SqliteQueue(store.db, new ManualClock());
    const job = aSendJob();

    await queue.enqueue([job]);

    expect((await queue.take(1, 1_000)).map((t) => t.job)).toEqual([job]);
    store.close();
  });
});
