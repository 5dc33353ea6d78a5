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

/** Several sign-ins (a memory-hard hash each) and axe-core scans on a 2-core machine shared with others. */
const SLOW = 120_000;

/** 300 characters of Vietnamese with tone marks: 5 UCS-2 parts, 2 GSM-7 parts once stripped. */
const NOTICE = 'Thông báo: lịch tiêm phòng dại cho chó mèo tại nhà văn hóa thôn Đông vào sáng thứ Bảy. '.repeat(4).slice(0, 300);

describe('templates in the console', () => {
  let loa: Loa;
  let browser: Browser;
  let author: StaffAccount;
  let approver: StaffAccount;
  let authorApprover: StaffAccount;

  beforeAll(async () => {
    loa = await startLoa();
    author = await addStaff(loa, STAFF.author);
    approver = await addStaff(loa, STAFF.approver);
    authorApprover = await addStaff(loa, { user: 'thu', name: 'Đỗ Minh Thư', roles: ['author', 'approver'] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await loa?.stop();
  });

  /** A browser profile already signed in through the API, as the sign-in page would leave it. */
  async function signedIn(account: StaffAccount): Promise<BrowserContext> {
    const context = await newContext(browser);
    const response = await context.request.post(`${loa.url}/v1/session`, { data: { user: account.user, password: account.password } });
    expect(response.status()).toBe(200);
    return context;
  }

  /** Writes and submits a template through the API with the context's session; its id. */
  async function submittedTemplate(context: BrowserContext, name: string, body: string): Promise<string> {
    const created = await context.request.post(`${loa.url}/v1/templates`, { data: { name, body } });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const submitted = await context.request.post(`${loa.url}/v1/templates/${id}/submit`, { data: { version: 1 } });
    expect(submitted.status()).toBe(200);
    return id;
  }

  it(
    "shows an author 300 Vietnamese characters as 5 UCS-2 parts, 2 without diacritics, and a script's reading time; saves, submits",
    async () => {
      const context = await newContext(browser);
      const page = await context.newPage();
      await signIn(page, loa, author);
      await page.getByRole('link', { name: 'Mẫu tin' }).click();
      await page.getByRole('heading', { name: 'Mẫu tin', level: 1 }).waitFor();
      await expectAccessible(page);
      await page.getByRole('link', { name: 'Soạn mẫu tin mới' }).click();

      await page.getByLabel('Tên mẫu tin').fill('Tiêm phòng dại tháng 12');
      const figure = (name: string) => page.locator(`[data-figure="${name}"] dd`);
      // A loudspeaker script is timed instead: 13 words at 130 a minute, read twice at each stop.
      await page.getByLabel('Kịch bản phát loa').check();
      await page.getByLabel('Nội dung kịch bản').fill('Loa loa! Bà con chú ý: chiều nay cắt điện từ hai giờ.');
      await expect.poll(() => figure('reading').textContent()).toBe('6 giây');
      await expect(figure('perStop').textContent()).resolves.toBe('12 giây');
      await page.getByLabel('Tin nhắn SMS').check();

      const body = page.getByLabel('Nội dung tin nhắn');
      await body.fill(NOTICE.slice(0, 290));
      await body.pressSequentially(NOTICE.slice(290));
      await expect.poll(() => figure('characters').textContent()).toBe('300');
      await expect(figure('encoding').textContent()).resolves.toBe('UCS-2');
      await expect(figure('parts').textContent()).resolves.toBe('5');
      await expect(figure('partsWithoutDiacritics').textContent()).resolves.toBe('2');
      await expect(page.getByTestId('without-diacritics').textContent()).resolves.toMatch(
        /^Thong bao: lich tiem phong dai cho cho meo tai nha van hoa thon Dong/,
      );
      await expectAccessible(page);
      await screenshot(page, 'template-editor');

      await page.getByRole('button', { name: 'Lưu bản nháp' }).click();
      await page.getByText('Đã lưu phiên bản 1 (bản nháp).').waitFor();
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Gửi duyệt phiên bản 1' }).click();
      await page.getByText('Đã gửi duyệt phiên bản 1.').waitFor();
      await page.getByText('Phiên bản 1 đang chờ duyệt.').waitFor();
      // Being an author only, she is offered no decision on her own work.
      await expect(page.getByRole('link', { name: /quyết định/ }).count()).resolves.toBe(0);

      await page.getByRole('link', { name: 'Tất cả mẫu tin' }).click();
      const row = page.getByRole('row', { name: /Tiêm phòng dại tháng 12/ });
      await expect.poll(() => row.textContent()).toContain('Chờ duyệt');
      await screenshot(page, 'template-list');
      await context.close();
    },
    SLOW,
  );

  it(
    'does not offer an author who is also an approver the decision on their own version, and the API refuses it with 403',
    async () => {
      const context = await signedIn(authorApprover);
      const id = await submittedTemplate(context, 'Họp tổ dân phố', 'Họp tổ dân phố lúc 19 giờ thứ Sáu tại nhà văn hóa.');
      const page = await context.newPage();
      await page.goto(`${loa.url}/templates/${id}/versions/1`);
      await page.getByText('Bạn là người viết phiên bản này nên không thể tự duyệt.').waitFor();
      await expect(page.getByRole('button', { name: 'Duyệt' }).count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: 'Từ chối' }).count()).resolves.toBe(0);
      const refused = await context.request.post(`${loa.url}/v1/templates/${id}/approve`, { data: { version: 1 } });
      expect(refused.status()).toBe(403);
      await page.goto(loa.url);
      await page.getByRole('heading', { name: 'Chờ bạn duyệt' }).waitFor();
      await expect(page.getByRole('link', { name: 'Họp tổ dân phố: phiên bản 1' }).count()).resolves.toBe(0);
      await context.close();
    },
    SLOW,
  );

  it(
    'lets an approver find a submitted version on the home page, read exactly that version and approve it',
    async () => {
      const authorContext = await signedIn(author);
      const id = await submittedTemplate(authorContext, 'Cắt điện', 'Loa loa! Chiều nay cắt điện từ 14 giờ đến 17 giờ để sửa đường dây.');
      await authorContext.close();

      const context = await newContext(browser);
      const page = await context.newPage();
      await signIn(page, loa, approver);
      await page.getByRole('heading', { name: 'Chờ bạn duyệt' }).waitFor();
      await page.getByRole('link', { name: 'Cắt điện: phiên bản 1' }).click();
      await page.getByRole('heading', { name: 'Cắt điện: phiên bản 1', level: 1 }).waitFor();
      await expect(page.getByTestId('version-body').textContent()).resolves.toBe(
        'Loa loa! Chiều nay cắt điện từ 14 giờ đến 17 giờ để sửa đường dây.',
      );
      await expect(page.locator('[data-figure="parts"] dd').textContent()).resolves.toBe('1');
      await expectAccessible(page);
      await screenshot(page, 'template-approval');

      const approval = page.waitForRequest((request) => request.url().endsWith(`/v1/templates/${id}/approve`));
      await page.getByRole('button', { name: 'Duyệt', exact: true }).click();
      expect((await approval).postDataJSON()).toEqual({ version: 1 });
      await page.getByText('Đã duyệt phiên bản 1.').waitFor();
      await page.getByText('Người soạn tin có thể dùng nó để tạo chiến dịch').waitFor();
      await expect(page.getByRole('button', { name: 'Duyệt', exact: true }).count()).resolves.toBe(0);
      await expect(page.locator('.tag').first().textContent()).resolves.toBe('Đã duyệt');
      await context.close();
    },
    SLOW,
  );

  it(
    'shows a version superseded by a later submission as such, with no decision offered on it',
    async () => {
      const authorContext = await signedIn(author);
      const id = await submittedTemplate(authorContext, 'Mất nước', 'Cúp nước sáng mai.');
      const edited = await authorContext.request.post(`${loa.url}/v1/templates/${id}/versions`, {
        data: { body: 'Cúp nước sáng mai, 7-11 giờ.' },
      });
      expect(edited.status()).toBe(201);
      expect((await authorContext.request.post(`${loa.url}/v1/templates/${id}/submit`, { data: { version: 2 } })).status()).toBe(200);
      await authorContext.close();

      const context = await signedIn(approver);
      const page = await context.newPage();
      await page.goto(`${loa.url}/templates/${id}/versions/1`);
      await page.getByText('Phiên bản 1 đã bị thay thế').waitFor();
      await expect(page.locator('.tag').first().textContent()).resolves.toBe('Đã bị thay thế');
      await expect(page.getByRole('button', { name: 'Duyệt', exact: true }).count()).resolves.toBe(0);
      await page.goto(`${loa.url}/templates/${id}`);
      const history = page.getByRole('table');
      await expect.poll(() => history.getByRole('row').nth(2).textContent()).toContain('Đã bị thay thế');
      await expect(history.getByRole('row').nth(1).textContent()).resolves.toContain('Chờ duyệt');
      await expectAccessible(page);
      await context.close();
    },
    SLOW,
  );

  it(
    'brings a rejection and its reason to the author’s home page, and shows the next version’s difference',
    async () => {
      const authorContext = await signedIn(author);
      await submittedTemplate(authorContext, 'Lịch họp', 'Họp thôn lúc 8 giờ sáng thứ Bảy tại nhà văn hóa.');

      const context = await newContext(browser);
      const page = await context.newPage();
      await signIn(page, loa, approver);
      await page.getByRole('link', { name: 'Lịch họp: phiên bản 1' }).click();
      await page.getByRole('button', { name: 'Từ chối' }).click();
      await page.getByText('Hãy ghi lý do từ chối.').waitFor();
      await page.getByLabel('Lý do từ chối').fill('Sai ngày: họp vào Chủ nhật.');
      await page.getByRole('button', { name: 'Từ chối' }).click();
      await page.getByText('Đã từ chối phiên bản 1.').waitFor();
      await page.getByText('Người viết sẽ thấy lý do trong mục Việc cần làm').waitFor();
      await context.close();

      const authorPage = await authorContext.newPage();
      await authorPage.goto(loa.url);
      const rejected = authorPage.getByRole('region', { name: 'Bị từ chối' });
      await rejected.getByText('Sai ngày: họp vào Chủ nhật.').waitFor();
      await expectAccessible(authorPage);
      await rejected.getByRole('link', { name: 'Lịch họp: phiên bản 1' }).click();

      await authorPage.getByText('Phiên bản 1 bị minh từ chối.').waitFor();
      await authorPage.getByLabel('Nội dung tin nhắn').fill('Họp thôn lúc 8 giờ sáng Chủ nhật tại nhà văn hóa.');
      await authorPage.getByRole('button', { name: 'Lưu thành phiên bản 2' }).click();
      await authorPage.getByText('Đã lưu phiên bản 2 (bản nháp).').waitFor();
      const history = authorPage.getByRole('table');
      await expect.poll(() => history.getByRole('row').nth(1).textContent()).toContain('Nháp');
      await expect(history.getByRole('row').nth(2).textContent()).resolves.toContain('Sai ngày: họp vào Chủ nhật.');
      const diff = authorPage.getByTestId('version-diff');
      await expect(diff.locator('del').textContent()).resolves.toBe('[bỏ: thứ Bảy]');
      await expect(diff.locator('ins').textContent()).resolves.toBe('[thêm: Chủ nhật]');
      await expectAccessible(authorPage);
      await screenshot(authorPage, 'template-history');
      await authorContext.close();
    },
    SLOW,
  );
});
