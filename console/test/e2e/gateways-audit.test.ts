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

/**
 * The day of `instant`, or a day after it, in the deployment's time zone (Asia/Ho_Chi_Minh, UTC+7), as a date input
 * takes it. The filter days come from when the segment was made, not from the clock, so that a run across local
 * midnight still finds it.
 */
function localDay(instant: string, daysAfter = 0): string {
  return new Date(Date.parse(instant) + 7 * 3_600_000 + daysAfter * 86_400_000).toISOString().slice(0, 10);
}

/** A real browser, sign-in with a memory-hard password hash and the demo province, on a busy 2-core machine. */
const BROWSER_TEST_MS = 120_000;

describe('the gateway board and the audit log in the console', { timeout: BROWSER_TEST_MS }, () => {
  let loa: Loa;
  let browser: Browser;
  let operator: StaffAccount;
  let viewer: StaffAccount;
  let segmentCreatedAt: string;

  beforeAll(async () => {
    loa = await startLoa({ demo: true });
    operator = await addStaff(loa, STAFF.operator);
    viewer = await addStaff(loa, STAFF.viewer);
    browser = await launchBrowser();
    await apiAs(loa, 'hoa', ['operator'])('POST', '/v1/opt-outs', { phone: '0861000000', source: 'hotline-1022' });
    const segment = await apiAs(loa, 'lan', ['author'])('POST', '/v1/segments', { name: 'Xã Đồng Phú', filter: { areas: ['DNI-DPHU'] } });
    segmentCreatedAt = segment.createdAt;
  });
  afterAll(async () => {
    await browser?.close();
    await loa?.stop();
  });

  const auditRows = (page: Page) =>
    page
      .locator('.audit-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));

  it('shows each gateway’s state in words, its rates, and refreshes itself', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, loa, viewer);
    await page.getByRole('navigation').getByRole('link', { name: 'Cổng gửi' }).click();
    const card = page.getByRole('article').first();
    await card.getByText('Hoạt động bình thường').waitFor();
    await expect(card.textContent()).resolves.toMatch(/Đang gửi.*tin\/giây.*Tốc độ tối đa.*Tỉ lệ lỗi \(1 phút gần nhất\)0%/);
    await expectAccessible(page);
    await screenshot(page, 'gateways');

    const refreshed = await page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/gateways', { timeout: 10_000 });
    expect(refreshed.status()).toBe(200);
    await card.getByText('Chi tiết kỹ thuật').click();
    await card.getByText('Kết nối SMPP').waitFor();
    await card.getByText('Đã kết nối').waitFor();
    await context.close();
  });

  it('lists the audit log newest first with dates as dd/MM/yyyy HH:mm, pages with "more", and filters by what, who and when', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, loa, operator);
    await page.getByRole('navigation').getByRole('link', { name: 'Nhật ký' }).click();
    await page.getByRole('heading', { name: 'Nhật ký', level: 1 }).waitFor();
    await page.locator('.audit-table').waitFor();

    const first = await auditRows(page);
    expect(first).toHaveLength(50);
    expect(first[0]?.[0]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    expect(first[0]?.[2]).toBe('Đăng nhập');
    await page.getByRole('button', { name: 'Xem thêm' }).click();
    await expect.poll(async () => (await auditRows(page)).length).toBeGreaterThan(50);
    await expectAccessible(page);

    await page.getByLabel('Việc đã làm').selectOption({ label: 'Ghi nhận từ chối nhận tin' });
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    await expect
      .poll(() => auditRows(page))
      .toEqual([[expect.stringMatching(/\d{2}:\d{2}$/), 'hoa', 'Ghi nhận từ chối nhận tin', expect.any(String), 'source: hotline-1022']]);
    await screenshot(page, 'audit');

    await page.getByLabel('Việc đã làm').selectOption({ label: 'Mọi việc' });
    await page.getByLabel('Người thực hiện').fill('lan');
    await page.getByLabel('Từ ngày').fill(localDay(segmentCreatedAt));
    await page.getByLabel('Đến hết ngày').fill(localDay(segmentCreatedAt));
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    await expect.poll(async () => (await auditRows(page)).map((row) => `${row[1]} ${row[2]}`)).toEqual(['lan Tạo nhóm nhận']);
    await page.getByRole('link', { name: /^seg_/ }).waitFor();

    await page.getByLabel('Từ ngày').fill(localDay(segmentCreatedAt, 1));
    await page.getByLabel('Đến hết ngày').fill(localDay(segmentCreatedAt, 1));
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    await page.getByText('Không có mục nào thỏa bộ lọc này.').waitFor();

    await page.getByLabel('Đến hết ngày').fill(localDay(segmentCreatedAt));
    await page.getByText('Ngày kết thúc phải từ ngày bắt đầu trở đi').waitFor();
    await expectAccessible(page);
    await context.close();
  });

  it('fits the audit log and the board on a phone screen', async () => {
    const context = await newContext(browser, { width: 390, height: 844 });
    const page = await context.newPage();
    await signIn(page, loa, operator);
    for (const [path, name] of [
      ['/audit', 'audit-phone'],
      ['/gateways', 'gateways-phone'],
    ] as const) {
      await page.goto(`${loa.url}${path}`);
      await page.locator('.audit-table, .gateway').first().waitFor();
      await expectAccessible(page);
      await screenshot(page, name);
    }
    await context.close();
  });
});
