/**
 * What the store contracts share: the stores each test runs against, and walking a paged list.
 *
 * Each port has its contract (template-store-contract.ts, audience-store-contract.ts, ...), run against
 * each adapter by its own test file. `open` is called before each test and the stores closed after it.
 * An adapter may hand back stores over a fresh database each time or over one shared database (or
 * table): every test makes its own records with unique ids, phones, area codes and tags, and only looks
 * at those. Tests within a suite run one after another.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import type { Page, PageRequest } from '../../lambdas/core/model.js';
import type { Stores } from '../../lambdas/core/ports.js';

export interface OpenedStores {
  stores: Stores;
  close(): Promise<void>;
}

export type OpenStores = () => Promise<OpenedStores>;

/**
 * Opens the stores before each test of the enclosing describe and closes them after it. The returned
 * object reads its ports from the stores of the test running, so a suite holds it once and its tests
 * read as `store.templates.insertTemplate(...)`.
 */
export function storesOpenedForEachTest(open: OpenStores): Stores {
  let opened: OpenedStores | undefined;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });
  const current = (): Stores => {
    if (opened === undefined) throw new Error('the stores are open only while a test runs');
    return opened.stores;
  };
  return {
    get templates() {
      return current().templates;
    },
    get audience() {
      return current().audience;
    },
    get campaigns() {
      return current().campaigns;
    },
    get receipts() {
      return current().receipts;
    },
    get tours() {
      return current().tours;
    },
    get audit() {
      return current().audit;
    },
    get idempotency() {
      return current().idempotency;
    },
    get imports() {
      return current().imports;
    },
  };
}

/**
 * Every item of a paged list, checking that no page is longer than asked. A short (even empty) page
 * before the end is accepted: a bounded filtered read may give one.
 */
export async function collect<T>(list: (page: PageRequest) => Promise<Page<T>>, limit: number): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await list(cursor === undefined ? { limit } : { limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    if (page.nextCursor === undefined) return items;
    cursor = page.nextCursor;
  }
  throw new Error('the list never ended');
}
