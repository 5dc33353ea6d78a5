/**
 * The core's deps on the embedded runtime's SQLite stores and queue, in a temp folder (or one the test
 * names): for tests that call the use cases, or serve them, without the runtime around them.
 */
import { join } from 'node:path';
import { SqliteQueue } from '../lambdas/adapters/sqlite/sqlite-queue.js';
import { openSqliteStores, type SqliteStores } from '../lambdas/adapters/sqlite/sqlite-stores.js';
import { DEFAULT_CONFIG, type LoaConfig } from '../lambdas/core/config.js';
import type { Deps } from '../lambdas/core/deps.js';
import { storesIn, type Clock, type Scheduler } from '../lambdas/core/ports.js';
import { newTempFolder } from './temp-folder.js';
import { TEST_PSEUDONYMIZER } from './test-pseudonymizer.js';

/** A scheduler that arms nothing: for tests in which no schedule fires. */
export const IDLE_SCHEDULER: Scheduler = {
  campaignScheduled: async () => {},
  campaignUnscheduled: async () => {},
  tourScheduled: async () => {},
  tourUnscheduled: async () => {},
};

export interface SqliteDeps {
  deps: Deps;
  stores: SqliteStores;
  queue: SqliteQueue;
  folder: string;
  close(): void;
}

/** The real clock, the idle scheduler and the default config unless told otherwise. */
export function openSqliteDeps(options: { folder?: string; clock?: Clock; scheduler?: Scheduler; config?: LoaConfig } = {}): SqliteDeps {
  const folder = options.folder ?? newTempFolder('loa-deps-');
  const clock = options.clock ?? { now: () => new Date() };
  const stores = openSqliteStores(join(folder, 'loa.db'));
  const queue = SqliteQueue.open(join(folder, 'queue.db'), clock);
  return {
    deps: {
      ...storesIn(stores),
      queue,
      clock,
      scheduler: options.scheduler ?? IDLE_SCHEDULER,
      config: options.config ?? DEFAULT_CONFIG,
      pseudonymizer: TEST_PSEUDONYMIZER,
    },
    stores,
    queue,
    folder,
    close: () => {
      queue.close();
      stores.close();
    },
  };
}
