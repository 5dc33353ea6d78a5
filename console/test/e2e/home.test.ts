import type { Browser, BrowserContext } from 'playwright-core';
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

/** Sign-ins (a memory-hard hash each), a campaign fan-out and axe-core scans on a shared 2-core machine. */
const SLOW = 180_000;

describe('the home page: what needs me now', () => {
  let loa: Loa;
  let browser: Browser;
  let author: StaffAccount;
  let approver: StaffAccount;
  let operator: StaffAccount;
  let everything: StaffAccount;

  beforeAll(async () => {
    // 100 messages a second: the demo province's 10,000 subscribers take long enough to watch.
    loa = await startLoa({ demo: true, env: { LOA_SIM_TPS: '100' } });
    author = await addStaff(loa, STAFF.author);
    approver = await addStaff(loa, STAFF.approver);
    operator = await addStaff(loa, STAFF.operator);
    everything = await addStaff(loa, { user: 'ha', name: 'Vũ Thị Hà', roles: ['author', 'approver', 'operator'] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await loa?.stop();
  });

  async function signedIn(account: StaffAccount, viewport?: { width: number; height: number }): Promise<BrowserContext> {
    const context = await newContext(browser, viewport);
    const response = await context.request.post(`${loa.url}/v1/session`, { data: { user: account.user, password: account.password } });
    expect(response.status()).toBe(200);
    return context;
  }

  async function post<T>(context: BrowserContext, path: string, data: unknown): Promise<T> {
    const response = await context.request.post(`${loa.url}${path}`, { data });
    if (!response.ok()) throw new Error(`POST ${path}: ${response.status()} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** A submitted campaign to the whole demo province from its approved advice template. */
  async function submittedCampaign(context: BrowserContext, name: string, schedule?: string): Promise<{ id: string; revision: number }> {
    const templates = (await (await context.request.get(`${loa.url}/v1/templates`)).json()) as { items: { id: string; name: string }[] };
    const template = templates.items.find((item) => item.name === 'Khuyến cáo phòng dịch')!;
    const segment = await post<{ id: string }>(context, '/v1/segments', {
      name: `Cả tỉnh: ${name}`,
      filter: { areas: ['DNI'], tags: [], carriers: [] },
    });
    const campaign = await post<{ id: string }>(context, '/v1/campaigns', {
      name,
      templateId: template.id,
      templateVersion: 1,
      segmentId: segment.id,
      variables: { advice: 'Rửa tay thường xuyên' },
      ...(schedule && { schedule: { expression: schedule } }),
    });
    return post(context, `/v1/campaigns/${campaign.id}/submit`, {});
  }

  it(
    'shows an operator on a phone a sending campaign’s progress growing, a scheduled one with its next run, and each gateway’s state',
    async () => {
      const authorContext = await signedIn(author);
      const sending = await submittedCampaign(authorContext, 'Phòng dịch toàn tỉnh');
      const scheduled = await submittedCampaign(authorContext, 'Nhắc lịch tiêm đầu năm', 'at(2030-01-02T08:00:00)');
      await authorContext.close();
      const approverContext = await signedIn(approver);
      await post(approverContext, `/v1/campaigns/${sending.id}/approve`, { revision: sending.revision });
      await post(approverContext, `/v1/campaigns/${scheduled.id}/approve`, { revision: scheduled.revision });
      await approverContext.close();

      const context = await newContext(browser, { width: 390, height: 844 });
      const page = await context.newPage();
      await signIn(page, loa, operator);
      const live = page.getByRole('region', { name: 'Đang gửi và sắp gửi' });
      const bar = live.getByRole('progressbar', { name: /tin đã có kết quả/ });
      await bar.waitFor({ timeout: 60_000 });
      const finished = () => bar.evaluate((element) => Number((element as unknown as { value: number }).value));
      const first = await finished();
      await expect.poll(finished, { timeout: 60_000 }).toBeGreaterThan(first);
      await live.getByText('Nhắc lịch tiêm đầu năm').waitFor();
      await live.getByText('Lần gửi tiếp theo: 02/01/2030 08:00').waitFor();

      const gateways = page.getByRole('region', { name: 'Cổng gửi' });
      await gateways.getByText('Hoạt động bình thường').first().waitFor();
      await expect(page.getByRole('heading', { name: 'Chờ bạn duyệt' }).count()).resolves.toBe(0);
      await expectAccessible(page);
      await screenshot(page, 'home-operator-phone');

      await post(context, `/v1/campaigns/${sending.id}/cancel`, {});
      await context.close();
    },
    SLOW,
  );

  it(
    'shows a person with several roles every section, and among the approvals the work of others but never their own',
    async () => {
      const lanContext = await signedIn(author);
      const lanTemplate = await post<{ id: string }>(lanContext, '/v1/templates', {
        name: 'Thu gom rác',
        body: 'Xe thu gom rác đến lúc 17 giờ.',
      });
      await post(lanContext, `/v1/templates/${lanTemplate.id}/submit`, { version: 1 });
      await lanContext.close();

      const context = await signedIn(everything);
      const own = await post<{ id: string }>(context, '/v1/templates', { name: 'Họp chi bộ', body: 'Họp chi bộ lúc 19 giờ.' });
      await post(context, `/v1/templates/${own.id}/submit`, { version: 1 });
      await post(context, '/v1/templates', { name: 'Nước sạch', body: 'Tạm ngưng cấp nước sáng mai.' });

      const page = await context.newPage();
      await page.goto(loa.url);
      for (const section of ['Chờ bạn duyệt', 'Bị từ chối', 'Bản nháp của bạn', 'Đang gửi và sắp gửi', 'Cổng gửi']) {
        await page.getByRole('heading', { name: section, level: 2 }).waitFor();
      }
      const approvals = page.getByRole('region', { name: 'Chờ bạn duyệt' });
      await approvals.getByRole('link', { name: 'Thu gom rác: phiên bản 1' }).waitFor();
      await expect(approvals.getByRole('link', { name: 'Họp chi bộ: phiên bản 1' }).count()).resolves.toBe(0);
      const drafts = page.getByRole('region', { name: 'Bản nháp của bạn' });
      await drafts.getByRole('link', { name: 'Nước sạch: phiên bản 1' }).waitFor();
      await expectAccessible(page);
      await screenshot(page, 'home-all-roles');

      await approvals.getByRole('link', { name: 'Thu gom rác: phiên bản 1' }).click();
      await page.getByRole('heading', { name: 'Thu gom rác: phiên bản 1', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Duyệt', exact: true }).waitFor();
      await context.close();
    },
    SLOW,
  );
});
