import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addStaff,
  apiAs,
  expectAccessible,
  launchBrowser,
  newContext,
  screenshot,
  signIn,
  STAFF,
  startLoa,
  type Loa,
  type StaffAccount,
} from './harness.js';

interface Counts {
  total: number;
  byCarrier: Record<string, number>;
  byArea: Record<string, number>;
}

const CARRIER_NAMES: Record<string, string> = {
  viettel: 'Viettel',
  vinaphone: 'VinaPhone',
  mobifone: 'MobiFone',
  vietnamobile: 'Vietnamobile',
  gmobile: 'Gmobile',
};

/** A number as the Vietnamese console writes it (1.234) read back. */
const readNumber = (text: string | null) => Number((text ?? '').replace(/\D/g, ''));

/** A real browser, sign-in with a memory-hard password hash and the demo province, on a busy 2-core machine. */
const BROWSER_TEST_MS = 120_000;

describe('building a segment in the console', { timeout: BROWSER_TEST_MS }, () => {
  let loa: Loa;
  let browser: Browser;
  let author: StaffAccount;
  let expected: (filter: { areas?: string[]; tags?: string[] }) => Promise<Counts>;

  beforeAll(async () => {
    loa = await startLoa({ demo: true });
    author = await addStaff(loa, STAFF.author);
    browser = await launchBrowser();
    const api = apiAs(loa, 'lan', ['author']);
    expected = (filter) => api<Counts>('POST', '/v1/segments/preview', { filter: { areas: [], tags: [], carriers: [], ...filter } });
  });
  afterAll(async () => {
    await browser?.close();
    await loa?.stop();
  });

  async function liveTotal(page: Page): Promise<number> {
    return readNumber(await page.locator('.segment-builder__counts .segment-counts__number').textContent());
  }

  async function carrierCounts(page: Page, scope = page.locator('body')): Promise<Record<string, number>> {
    const rows = await scope
      .getByRole('table')
      .filter({ has: page.getByRole('columnheader', { name: 'Nhà mạng' }) })
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', tr.querySelector('td')?.textContent ?? '']));
    return Object.fromEntries(rows.map(([name, count]) => [name, readNumber(count ?? '')]));
  }

  const named = (byCarrier: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(byCarrier)
        .filter(([, count]) => count > 0)
        .map(([carrier, count]) => [CARRIER_NAMES[carrier] ?? carrier, count]),
    );

  it('lets an author pick areas from the tree and a tag, with live counts by carrier, and save the segment', async () => {
    const everyone = await expected({});
    const ward = await expected({ areas: ['DNI-DXOAI'] });
    const wardWorkers = await expected({ areas: ['DNI-DXOAI'], tags: ['cong-nhan'] });
    expect(ward.total).toBeGreaterThan(wardWorkers.total);

    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, loa, author);
    await page.getByRole('navigation').getByRole('link', { name: 'Nhóm nhận' }).click();
    await page.getByRole('link', { name: 'Tạo nhóm nhận mới' }).click();
    await page.getByRole('heading', { name: 'Tạo nhóm nhận', level: 1 }).waitFor();

    await expect.poll(() => liveTotal(page)).toBe(everyone.total);
    await page.getByLabel('Tên nhóm nhận').fill('Công nhân phường Đồng Xoài');
    await page.getByLabel(/^Phường Đồng Xoài/).check();
    await expect.poll(() => liveTotal(page)).toBe(ward.total);
    await expect.poll(() => carrierCounts(page, page.locator('.segment-builder__counts'))).toEqual(named(ward.byCarrier));

    await page.getByRole('button', { name: 'Mở Phường Đồng Xoài' }).click();
    const street = page.getByLabel(/^Khu phố Tân Bình/);
    await expect(street.isChecked()).resolves.toBe(true);
    await expect(street.isDisabled()).resolves.toBe(true);

    await page.getByLabel('Nhãn').fill('cong-nhan');
    await expect.poll(() => liveTotal(page)).toBe(wardWorkers.total);
    await expect.poll(() => carrierCounts(page, page.locator('.segment-builder__counts'))).toEqual(named(wardWorkers.byCarrier));
    await expectAccessible(page);
    await screenshot(page, 'segment-builder');

    await page.getByRole('button', { name: 'Lưu nhóm nhận' }).click();
    await page.getByRole('heading', { name: 'Công nhân phường Đồng Xoài', level: 1 }).waitFor();
    await page.getByText('Đã lưu nhóm nhận.').waitFor();
    await expect(page.locator('dl.summary').textContent()).resolves.toContain('Phường Đồng Xoài');
    await expect(carrierCounts(page)).resolves.toEqual(named(wardWorkers.byCarrier));
    await expect(readNumber(await page.locator('.segment-counts__number').textContent())).toBe(wardWorkers.total);
    await expectAccessible(page);
    await screenshot(page, 'segment');

    // The saved segment heads the list, its filter in words, and opens from there.
    await page.getByRole('navigation').getByRole('link', { name: 'Nhóm nhận' }).click();
    await page.getByRole('heading', { name: 'Nhóm nhận', level: 1 }).waitFor();
    const firstRow = page.getByRole('table', { name: 'Các nhóm nhận, mới nhất trước' }).locator('tbody tr').first();
    await firstRow.getByRole('link', { name: 'Công nhân phường Đồng Xoài' }).waitFor();
    const cells = await firstRow.locator('td').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['Phường Đồng Xoài', 'cong-nhan', 'Mọi nhà mạng']);
    expect(cells[3]).toMatch(/^lan, lúc \d\d\/\d\d\/\d{4} \d\d:\d\d$/);
    await expectAccessible(page);
    await screenshot(page, 'segments');
    await firstRow.getByRole('link', { name: 'Công nhân phường Đồng Xoài' }).click();
    await page.getByRole('heading', { name: 'Công nhân phường Đồng Xoài', level: 1 }).waitFor();
    await context.close();
  });

  it('keeps the name and choices and names the field when saving is refused', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, loa, author);
    await page.goto(`${loa.url}/segments/new`);
    await page.getByLabel(/^Xã Đồng Phú/).check();
    await page.getByRole('button', { name: 'Lưu nhóm nhận' }).click();
    await page.getByText('Đặt tên cho nhóm nhận').waitFor();
    await expect(page.getByLabel(/^Xã Đồng Phú/).isChecked()).resolves.toBe(true);
    await context.close();
  });

  it('works on a phone screen', async () => {
    const context = await newContext(browser, { width: 390, height: 844 });
    const page = await context.newPage();
    await signIn(page, loa, author);
    await page.goto(`${loa.url}/segments/new`);
    await page.getByLabel(/^Phường Trấn Biên/).check();
    await expect.poll(() => liveTotal(page)).toBe((await expected({ areas: ['DNI-TBIEN'] })).total);
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    await expectAccessible(page);
    await screenshot(page, 'segment-builder-phone');
    await page.goto(`${loa.url}/segments`);
    await page.getByRole('link', { name: 'Toàn tỉnh Đồng Nai' }).waitFor();
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    await expectAccessible(page);
    await screenshot(page, 'segments-phone');
    await context.close();
  });
});
