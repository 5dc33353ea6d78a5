/**
 * What the console's browser tests share: everything of loa-browser.ts, an accessibility check with
 * axe-core, and a test timeout for a real browser against a real runtime on two shared cores.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect, vi } from 'vitest';

export * from './loa-browser.js';

vi.setConfig({ testTimeout: 120_000 });

/** No serious or critical axe-core violation on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const grave = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
  expect(grave, `axe-core on ${page.url()}`).toEqual([]);
}
