import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const ZONE = 'Asia/Ho_Chi_Minh';

/** Calls the API with the page's own session cookie, for the setup a test is not about. */
async function apiCall<T>(page: Page, loa: Loa, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await page.request.fetch(`${loa.url}${path}`, { method, ...(body !== undefined && { data: body }) });
  if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A one-time cron at a whole minute at least `leadSeconds` from now, on the deployment's wall clock. */
function cronSoon(leadSeconds: number): { expression: string; at: Date } {
  const at = new Date(Math.ceil((Date.now() + leadSeconds * 1000) / 60_000) * 60_000);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: ZONE,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map(({ type, value }) => [type, Number(value)]),
  );
  return { expression: `cron(${parts.minute} ${parts.hour} ${parts.day} ${parts.month} ? ${parts.year})`, at };
}

/** The number on a progress card ("Đã nhận" ...), grouped with dots as Vietnamese writes it. */
async function cardValue(page: Page, status: string): Promise<number> {
  const text = await page.locator(`.card__value[data-status="${status}"]`).textContent();
  return Number((text ?? '').replace(/\./g, ''));
}

describe('campaigns in the console', () => {
  let loa: Loa;
  let browser: Browser;
  let author: StaffAccount;
  let approver: StaffAccount;
  let operator: StaffAccount;

  beforeAll(async () => {
    loa = await startLoa({ demo: true, env: { LOA_TEST_NUMBERS: '0912000901,0912000902', LOA_SIM_TPS: '150' } });
    author = await addStaff(loa, STAFF.author);
    approver = await addStaff(loa, STAFF.approver);
    operator = await addStaff(loa, STAFF.operator);
    browser = await launchBrowser();
  }, 330_000);
  afterAll(async () => {
    await browser?.close();
    await loa?.stop();
  });

  it('takes a cron-scheduled campaign from the form through approval by another person to completed, every recipient counted', async () => {
    const authorContext = await newContext(browser);
    const page = await authorContext.newPage();
    await signIn(page, loa, author);
    const segment = await apiCall<{ id: string; counts: { total: number } }>(page, loa, 'POST', '/v1/segments', {
      name: 'Khu phố Tân Bình',
      filter: { areas: ['DNI-DXOAI-1'], tags: [], carriers: [] },
    });
    expect(segment.counts.total).toBeGreaterThan(0);

    // The segments page links to the form with the segment it shows.
    await page.goto(`${loa.url}/campaigns/new?segment=${segment.id}`);
    await page.getByRole('heading', { name: 'Tạo chiến dịch' }).waitFor();
    await page.getByLabel('Tên chiến dịch').fill('Khuyến cáo sốt xuất huyết');
    await page.getByLabel('Mẫu tin').selectOption({ label: 'Khuyến cáo phòng dịch, phiên bản 1' });
    await page.getByLabel('advice').fill('Diệt lăng quăng, ngủ màn');
    // Chosen already from the address, and counted.
    await expect.poll(() => page.getByLabel('Nhóm nhận').inputValue()).toBe(segment.id);
    await page.getByText(`Nhóm này hiện gồm ${segment.counts.total.toLocaleString('vi-VN')} người nhận.`).waitFor();
    await page.getByText('Tin nhắn sẽ gửi').waitFor();

    await page.getByLabel('Tự nhập biểu thức lịch').check();
    const expressionField = page.getByLabel('Biểu thức lịch', { exact: true });
    await expressionField.fill('cron(0 8 ? * MON-FRI *)');
    const fireTimes = page.locator('.schedule-builder .fire-times li');
    await expect.poll(() => fireTimes.count()).toBe(5);
    for (const text of await fireTimes.allTextContents()) expect(text).toMatch(/^\d{2}\/\d{2}\/\d{4} 08:00$/);

    await expressionField.fill('cron(0 25 * * ? *)');
    await page.getByText('Giá trị 25 của giờ nằm ngoài khoảng 0-23.').waitFor();
    await expect(fireTimes.count()).resolves.toBe(0);
    await expect(expressionField.getAttribute('aria-invalid')).resolves.toBe('true');

    const soon = cronSoon(100);
    await expressionField.fill(soon.expression);
    await expect.poll(() => fireTimes.count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'campaign-new');

    await page.getByRole('button', { name: 'Lưu bản nháp' }).click();
    await page.getByText('Đã lưu bản nháp.').waitFor();
    const campaignUrl = page.url();
    await page.getByRole('button', { name: 'Gửi duyệt' }).click();
    await page.getByText('Đã gửi duyệt.').waitFor();
    await expect(page.locator('.campaign-band').textContent()).resolves.toContain('Chờ duyệt');
    await expectAccessible(page);
    await authorContext.close();

    const approverContext = await newContext(browser);
    const decision = await approverContext.newPage();
    await signIn(decision, loa, approver);
    await decision.goto(campaignUrl);
    await decision.getByRole('heading', { name: 'Quyết định' }).waitFor();
    await decision.locator('dl.summary').getByText(segment.counts.total.toLocaleString('vi-VN')).first().waitFor();
    await expectAccessible(decision);
    await screenshot(decision, 'campaign-approval');
    await decision.getByRole('button', { name: 'Duyệt', exact: true }).click();
    const dialog = decision.getByRole('dialog');
    await dialog.getByText(`gửi đến ${segment.counts.total.toLocaleString('vi-VN')} người nhận`).waitFor();
    await dialog.getByText('lần đầu lúc').waitFor();
    await expectAccessible(decision);
    // The decision names the revision shown (created 1, submitted 2): one changed since is refused, never approved unseen.
    const approval = decision.waitForRequest((request) => request.url().endsWith('/approve'));
    await dialog.getByRole('button', { name: 'Duyệt và gửi' }).click();
    expect((await approval).postDataJSON()).toEqual({ revision: 2 });
    await decision.getByText('Đã duyệt.').waitFor();
    await expect(decision.locator('.campaign-band').textContent()).resolves.toContain('Đã lên lịch');

    // The fire is 100 to 160 s after the form was filled, then 2,000 parts at the simulator's 150 a second.
    await decision.locator('.campaign-band').getByText('Hoàn thành').waitFor({ timeout: 230_000 });
    await expect.poll(() => cardValue(decision, 'total'), { timeout: 10_000 }).toBe(segment.counts.total);
    const finished =
      (await cardValue(decision, 'delivered')) + (await cardValue(decision, 'failed')) + (await cardValue(decision, 'expired'));
    expect(finished).toBe(segment.counts.total);
    await expect(cardValue(decision, 'queued')).resolves.toBe(0);
    await decision.getByRole('row', { name: /Khu phố Tân Bình/ }).waitFor();
    await decision.getByRole('img', { name: /Số tin đã nhận, cộng dồn theo phút/ }).waitFor();
    await expectAccessible(decision);
    await screenshot(decision, 'campaign-progress');
    await approverContext.close();
  }, 240_000);

  it('lets an operator pause a large campaign, naming the messages that stop, and resume it', async () => {
    const authorContext = await newContext(browser);
    const authorPage = await authorContext.newPage();
    await signIn(authorPage, loa, author);
    const province = await apiCall<{ id: string }>(authorPage, loa, 'POST', '/v1/segments', {
      name: 'Cả tỉnh',
      filter: { areas: ['DNI'], tags: [], carriers: [] },
    });
    const templates = await apiCall<{ items: { id: string; name: string }[] }>(authorPage, loa, 'GET', '/v1/templates');
    const template = templates.items.find((item) => item.name === 'Khuyến cáo phòng dịch')!;
    const campaign = await apiCall<{ id: string }>(authorPage, loa, 'POST', '/v1/campaigns', {
      name: 'Toàn tỉnh: phòng dịch',
      templateId: template.id,
      templateVersion: 1,
      segmentId: province.id,
      variables: { advice: 'Rửa tay thường xuyên' },
    });
    const { revision } = await apiCall<{ revision: number }>(authorPage, loa, 'POST', `/v1/campaigns/${campaign.id}/submit`, {});
    await authorContext.close();
    const approverContext = await newContext(browser);
    const approverPage = await approverContext.newPage();
    await signIn(approverPage, loa, approver);
    await apiCall(approverPage, loa, 'POST', `/v1/campaigns/${campaign.id}/approve`, { revision });
    await approverContext.close();

    const context = await newContext(browser, { width: 390, height: 844 });
    const page = await context.newPage();
    await signIn(page, loa, operator);
    await page.goto(`${loa.url}/campaigns/${campaign.id}`);
    await page.locator('.campaign-band').getByText('Đang gửi').waitFor({ timeout: 30_000 });
    await expect.poll(() => cardValue(page, 'delivered'), { timeout: 30_000 }).toBeGreaterThan(0);
    await expectAccessible(page);
    await screenshot(page, 'campaign-progress-phone');

    await page.getByRole('button', { name: 'Tạm dừng' }).click();
    const pauseDialog = page.getByRole('dialog', { name: /Tạm dừng/ });
    await pauseDialog.getByText(/\d[\d.]* tin đang chờ sẽ dừng lại/).waitFor();
    await pauseDialog.getByRole('button', { name: 'Tạm dừng' }).click();
    await page.locator('.campaign-band').getByText('Tạm dừng').waitFor();
    await page.getByText('Đã tạm dừng.').waitFor();
    // A batch in flight at the pause still goes, and what the carrier has still reports; then nothing moves:
    // two reads a refresh apart see the same counters, with nothing left at the carrier.
    let counters = '';
    await expect
      .poll(
        async () => {
          const previous = counters;
          counters = `${await cardValue(page, 'queued')}/${await cardValue(page, 'submitted')}`;
          return counters === previous && counters.endsWith('/0');
        },
        { timeout: 30_000, interval: 3_000 },
      )
      .toBe(true);
    const queuedWhenPaused = await cardValue(page, 'queued');
    expect(queuedWhenPaused).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    const resumeDialog = page.getByRole('dialog', { name: /Tiếp tục/ });
    const resuming = resumeDialog.getByText(/[\d.]+ tin đang chờ sẽ được gửi tiếp\./);
    await resuming.waitFor();
    // The dialog names the messages the page counts as queued once the campaign's next refresh is in.
    const named = async () => Number((await resuming.textContent())!.split(' ')[0]!.replaceAll('.', ''));
    await expect.poll(async () => (await named()) === (await cardValue(page, 'queued')), { timeout: 10_000 }).toBe(true);
    expect(await named()).toBeGreaterThan(0);
    await resumeDialog.getByRole('button', { name: 'Tiếp tục gửi' }).click();
    await page.locator('.campaign-band').getByText('Đang gửi').waitFor();
    await expect.poll(() => cardValue(page, 'queued'), { timeout: 30_000 }).toBeLessThan(queuedWhenPaused);

    await page.getByRole('button', { name: 'Hủy chiến dịch' }).click();
    const cancelDialog = page.getByRole('dialog', { name: /Hủy hẳn/ });
    await cancelDialog.getByText(/tin đang chờ sẽ không được gửi/).waitFor();
    await cancelDialog.getByRole('button', { name: 'Hủy chiến dịch' }).click();
    await page.locator('.campaign-band').getByText('Đã hủy').waitFor();

    await page.getByRole('link', { name: 'Xem từng tin đã gửi' }).click();
    await page.getByLabel('Trạng thái').selectOption({ label: 'Đã nhận' });
    await page.getByRole('button', { name: 'Lọc' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(50);
    await expect(page.locator('tbody .tag').allTextContents()).resolves.toEqual(Array(50).fill('Đã nhận'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải CSV' }).click()]);
    const [header, ...rows] = readFileSync((await download.path())!, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(header).toMatch(/^phone,carrier,status,/);
    expect(rows.length).toBeGreaterThanOrEqual(50);
    expect(rows.filter((row) => row.split(',')[2] !== 'delivered')).toEqual([]);
    await page.getByRole('button', { name: 'Trang sau' }).click();
    await page.getByRole('button', { name: 'Trang trước' }).waitFor();
    await expectAccessible(page);
    await context.close();
  }, 120_000);

  it('marks a test campaign with the striped CHẠY THỬ band on its page, its receipts and in the list', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, loa, author);
    const segment = await apiCall<{ id: string }>(page, loa, 'POST', '/v1/segments', {
      name: 'Phường Bình Phước',
      filter: { areas: ['DNI-BPHUOC'], tags: [], carriers: [] },
    });
    const templates = await apiCall<{ items: { id: string; name: string }[] }>(page, loa, 'GET', '/v1/templates');
    const template = templates.items.find((item) => item.name === 'Khuyến cáo phòng dịch')!;
    const campaign = await apiCall<{ id: string }>(page, loa, 'POST', '/v1/campaigns', {
      name: 'Thử nội dung khuyến cáo',
      templateId: template.id,
      templateVersion: 1,
      segmentId: segment.id,
      variables: { advice: 'Thử nghiệm' },
      test: true,
    });
    await page.goto(`${loa.url}/campaigns/${campaign.id}`);
    await page.getByRole('note').getByText('CHẠY THỬ').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'campaign-test-band');

    await page.getByRole('link', { name: 'Chiến dịch', exact: true }).click();
    const row = page.getByRole('row', { name: /Thử nội dung khuyến cáo/ });
    await row.getByText('CHẠY THỬ').waitFor();
    await page.getByRole('link', { name: 'Nháp', exact: true }).click();
    await row.waitFor();
    await expect.poll(() => page.getByRole('row', { name: /Toàn tỉnh/ }).count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'campaign-list');
    await context.close();
  }, 90_000);
});
