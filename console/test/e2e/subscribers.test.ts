import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTempFolder } from '../../../test/temp-folder.js';
import {
  addStaff,
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

/** Three good rows (one already in the demo province) and three bad ones, on lines 3, 5 and 6. */
const CSV = [
  'phone,area,tags',
  '0912 345 678,DNI-DXOAI-1,cong-nhan',
  '024 3825 1234,DNI-DPHU-2,',
  '0861000000,DNI-DXOAI-2,tieu-thuong',
  ',DNI-DXOAI-1,',
  '0983 000 111,DNI-KHONG-CO,hoc-sinh',
  '+84 983 000 112,DNI-DPHU-2,tieu-thuong;hoc-sinh',
  '',
].join('\n');

/** A real browser, sign-in with a memory-hard password hash and the demo province, on a busy 2-core machine. */
const BROWSER_TEST_MS = 120_000;

describe('subscribers in the console', { timeout: BROWSER_TEST_MS }, () => {
  let loa: Loa;
  let browser: Browser;
  let operator: StaffAccount;

  beforeAll(async () => {
    loa = await startLoa({ demo: true });
    operator = await addStaff(loa, STAFF.operator);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await loa?.stop();
  });

  async function openSubscribers(page: Page) {
    await signIn(page, loa, operator);
    await page.getByRole('navigation').getByRole('link', { name: 'Người nhận' }).click();
    await page.getByRole('heading', { name: 'Người nhận', level: 1 }).waitFor();
  }

  it('lets an operator import a CSV, see the three refused rows by line and download them', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await openSubscribers(page);
    await page.getByText('Tổng cộng: 10.000 người nhận').waitFor();
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Nhập danh sách' }).click();
    await page.getByText('Chọn một tệp CSV để nhập').first().waitFor();

    const huge = join(newTempFolder('loa-e2e-upload-'), 'ca-tinh.csv');
    await writeFile(huge, Buffer.alloc(51 * 1024 * 1024, 'a'));
    await page.getByLabel('Tệp CSV', { exact: true }).setInputFiles(huge);
    await page.getByRole('button', { name: 'Nhập danh sách' }).click();
    await page.getByText('Tệp lớn hơn 50 MB: hãy tách thành các tệp nhỏ hơn rồi nhập từng tệp.').first().waitFor();

    await page
      .getByLabel('Tệp CSV', { exact: true })
      .setInputFiles({ name: 'nguoi-nhan.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByRole('button', { name: 'Nhập danh sách' }).click();
    await page.getByRole('heading', { name: 'Đã nhập xong tệp nguoi-nhan.csv' }).waitFor();

    const card = (label: string) => page.locator('.card', { has: page.getByText(label, { exact: true }) }).locator('dd');
    await expect(card('Thêm mới').textContent()).resolves.toBe('2');
    await expect(card('Cập nhật').textContent()).resolves.toBe('1');
    await expect(card('Bị từ chối').textContent()).resolves.toBe('3');
    await page.getByText('Tổng cộng: 10.002 người nhận').waitFor();

    const refused = page.getByRole('table', { name: /Các dòng bị từ chối/ });
    const rows = await refused
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.map(([line]) => line)).toEqual(['3', '5', '6']);
    expect(rows[1]?.[1]).toBe('missing phone number');
    expect(rows[2]?.[1]).toContain('DNI-KHONG-CO');
    await expectAccessible(page);
    await screenshot(page, 'subscribers-import');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /Tải xuống các dòng bị từ chối/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('dong-bi-tu-choi.csv');
    const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Dòng,Lý do');
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['3', '5', '6']);
    expect(lines[2]).toBe('5,missing phone number');

    await page.getByLabel('Số điện thoại', { exact: true }).fill('0861 000 000');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page
      .locator('.lookup__result')
      .getByText(/^Nhập từ tệp nguoi-nhan\.csv lúc /)
      .waitFor();
    await context.close();
  });

  it('looks a number up and records its opt-out, which the look-up then shows', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await openSubscribers(page);

    await page.getByLabel('Số điện thoại', { exact: true }).fill('096 100 0037');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    const result = page.locator('.lookup__result');
    await result.getByRole('heading', { name: '+84961000037' }).waitFor();
    await result.getByText('Đang nhận tin').waitFor();
    await result.getByText('Viettel').waitFor();
    await result.getByText('Khu phố Phú Thanh').waitFor();

    await result.getByRole('button', { name: 'Ghi nhận từ chối nhận tin cho số này' }).click();
    const phone = page.getByLabel('Số điện thoại từ chối nhận tin');
    await expect(phone.inputValue()).resolves.toBe('+84961000037');
    await expect(phone.evaluate((input) => input === input.ownerDocument.activeElement)).resolves.toBe(true);
    await page.getByLabel('Tổng đài 1022').check();
    await page.getByRole('button', { name: 'Ghi nhận từ chối', exact: true }).click();
    await page.getByText('Đã ghi nhận: số +84961000037 sẽ không nhận tin nhắn nào nữa.').waitFor();
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await result.getByText('Đã từ chối nhận tin').waitFor();

    await page.getByLabel('Số điện thoại', { exact: true }).fill('0999 999 999');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page.getByText('Số 0999 999 999 không có trong danh sách người nhận.').waitFor();
    await context.close();
  });

  it("exports a number's data as JSON, then erases the number after asking why", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await openSubscribers(page);

    await page.getByLabel('Số điện thoại', { exact: true }).fill('097 100 0074');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page.locator('.lookup__result').getByRole('heading', { name: '+84971000074' }).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Xuất dữ liệu của số này (JSON)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('loa-du-lieu-84971000074.json');
    const data = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(data).toMatchObject({ phone: '+84971000074', subscriber: { phone: '+84971000074' }, receipts: [] });

    await page.getByRole('button', { name: 'Xóa số này…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Xóa số +84971000074?' });
    await dialog.getByRole('button', { name: 'Xóa số', exact: true }).click();
    await dialog.getByText('Nhập lý do xóa số').waitFor();
    await expectAccessible(page);
    await dialog.getByLabel('Lý do xóa').fill('Đơn yêu cầu số 117/2026 của chủ thuê bao');
    await dialog.getByRole('button', { name: 'Xóa số', exact: true }).click();
    await page.getByText('Đã xóa số +84971000074. 0 tin đã gửi được giữ dưới một mã thay cho số điện thoại.').waitFor();
    await screenshot(page, 'subscribers-erased');

    await page.getByLabel('Số điện thoại', { exact: true }).fill('0971000074');
    await page.getByRole('button', { name: 'Tra cứu' }).click();
    await page.getByText('Số 0971000074 không có trong danh sách người nhận.').waitFor();
    await context.close();
  });

  it('shows the area tree with counts that add up, operable by keyboard', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await openSubscribers(page);
    const tree = page.locator('.area-tree');
    const province = tree.locator('summary', { hasText: 'Tỉnh Đồng Nai' });
    await province.getByText(/người$/).waitFor();
    const count = async (summary: ReturnType<typeof tree.locator>) =>
      Number((await summary.locator('.area-tree__count').textContent())!.replace(/\D/g, ''));
    const communes = tree.locator(':scope > li > details > ul > li > details > summary');
    const communeCounts = await Promise.all((await communes.all()).map(count));
    expect(communeCounts).toHaveLength(4);
    expect(communeCounts.reduce((sum, value) => sum + value, 0)).toBe(await count(province));

    const commune = tree.locator('summary', { hasText: 'Phường Đồng Xoài' });
    await expect(tree.getByText('Khu phố Tân Bình').isVisible()).resolves.toBe(false);
    await commune.focus();
    await page.keyboard.press('Enter');
    await tree.getByText('Khu phố Tân Bình').waitFor();
    await tree.getByText('khu vực yên tĩnh').waitFor();
    await context.close();
  });

  it('fits a phone screen', async () => {
    const context = await newContext(browser, { width: 390, height: 844 });
    const page = await context.newPage();
    await signIn(page, loa, operator);
    await page.goto(`${loa.url}/subscribers`);
    await page.getByRole('heading', { name: 'Người nhận theo khu vực' }).waitFor();
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
    await expectAccessible(page);
    await screenshot(page, 'subscribers-phone');
    await context.close();
  });
});
