import type { Browser } from 'playwright-core';
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

describe('loudspeaker vans in the console', () => {
  let loa: Loa;
  let browser: Browser;
  let author: StaffAccount;
  let approver: StaffAccount;
  let operator: StaffAccount;

  beforeAll(async () => {
    loa = await startLoa({ demo: true });
    [author, approver, operator] = await Promise.all([
      addStaff(loa, STAFF.author),
      addStaff(loa, STAFF.approver),
      addStaff(loa, STAFF.operator),
    ]);
    browser = await launchBrowser();
    const script = await apiAs(loa, 'lan', ['author'])('POST', '/v1/templates', {
      name: 'Phòng chống sốt xuất huyết',
      channel: 'loudspeaker',
      body: 'Loa loa loa! Bà con hãy đậy kín dụng cụ chứa nước và diệt lăng quăng mỗi tuần.',
    });
    await apiAs(loa, 'lan', ['author'])('POST', `/v1/templates/${script.id}/submit`);
    await apiAs(loa, 'minh', ['approver'])('POST', `/v1/templates/${script.id}/approve`, { version: 1 });
  });
  afterAll(async () => {
    await browser?.close();
    await loa?.stop();
  });

  it('an operator registers a van; an author plans a tour, its rules checked while planned; another person approves it', async () => {
    const operatorPage = await (await newContext(browser)).newPage();
    await signIn(operatorPage, loa, operator);
    await operatorPage.getByRole('link', { name: 'Xe loa' }).click();
    await operatorPage.getByRole('link', { name: 'Đăng ký xe' }).click();
    await operatorPage.getByLabel('Biển số').fill('60B-246.80');
    await operatorPage.getByLabel('Họ tên trưởng xe').fill('Võ Thị Mai');
    await operatorPage.getByLabel('Số điện thoại trưởng xe').fill('0912 777 888');
    await operatorPage.getByLabel('Xã, phường nơi xe đóng').selectOption({ label: 'Phường Đồng Xoài' });
    await expectAccessible(operatorPage);
    await operatorPage.getByRole('button', { name: 'Đăng ký xe' }).click();
    await operatorPage.getByRole('cell', { name: '60B-246.80', exact: true }).waitFor();
    // The van's crew: only these sign-in names see it on the crew page.
    await operatorPage.getByRole('button', { name: 'Gắn tổ xe 60B-246.80' }).click();
    await operatorPage.getByLabel('Tên đăng nhập của tổ xe').fill('hai, lam');
    await expectAccessible(operatorPage);
    await operatorPage.getByRole('button', { name: 'Lưu tổ xe' }).click();
    await operatorPage
      .getByRole('row', { name: /60B-246\.80/ })
      .getByText('hai, lam')
      .waitFor();

    const page = await (await newContext(browser)).newPage();
    await signIn(page, loa, author);
    await page.goto(`${loa.url}/tours/new`);
    await page.getByLabel('Tên chuyến').fill('Diệt lăng quăng Đồng Xoài');
    await page.getByLabel('Xe', { exact: true }).selectOption({ label: '60B-246.80 · Võ Thị Mai' });
    await page.getByLabel('Bài đọc đã duyệt').selectOption({ label: 'Phòng chống sốt xuất huyết (phiên bản 1)' });
    await page.getByLabel('KHẨN', { exact: false }).check();
    await page.getByLabel('Xã, phường').selectOption({ label: 'Phường Đồng Xoài' });
    await page.getByRole('button', { name: 'Thêm Khu phố Tân Bình' }).click();
    await page.getByRole('button', { name: 'Thêm Khu phố Phú Thanh' }).click();
    await page.getByRole('heading', { name: 'Chuyến đầu tiên' }).waitFor();
    await page.getByText('Không vi phạm quy định nào.').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'tour-builder');
    await page.getByRole('button', { name: 'Lưu bản nháp' }).click();
    await page.getByRole('heading', { level: 1, name: 'Diệt lăng quăng Đồng Xoài' }).waitFor();
    await page.getByRole('button', { name: 'Gửi duyệt' }).click();
    await page.getByText('Đã gửi duyệt.').waitFor();
    const tourUrl = page.url();

    const approverPage = await (await newContext(browser)).newPage();
    await signIn(approverPage, loa, approver);
    await approverPage.goto(tourUrl);
    // The approver reads the script's very text before deciding, and the decision names the revision shown.
    await approverPage.locator('.tour-script').getByText('Bà con hãy đậy kín dụng cụ chứa nước').waitFor();
    await expectAccessible(approverPage);
    await approverPage.getByRole('button', { name: 'Duyệt' }).click();
    const approval = approverPage.waitForRequest((request) => request.url().endsWith('/approve'));
    await approverPage.getByRole('dialog').getByRole('button', { name: 'Duyệt' }).click();
    expect((await approval).postDataJSON()).toEqual({ revision: 2 });
    await approverPage.getByText('Đã duyệt. Xe sẽ xuất phát theo lịch').waitFor();

    await operatorPage.getByRole('link', { name: 'Xe loa' }).click();
    await operatorPage
      .getByRole('link', { name: /Diệt lăng quăng Đồng Xoài/ })
      .first()
      .waitFor();
    await expectAccessible(operatorPage);
    await screenshot(operatorPage, 'tours-week');

    await operatorPage.getByRole('link', { name: 'Độ phủ' }).click();
    await operatorPage.getByRole('heading', { name: /Phường Đồng Xoài/ }).waitFor();
    await operatorPage.getByLabel('Khoảng thời gian').selectOption('week');
    await operatorPage.getByRole('row', { name: /Khu phố Tân Bình/ }).waitFor();
    await expectAccessible(operatorPage);
    await screenshot(operatorPage, 'coverage');
  });
});
