import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addStaff,
  apiAs,
  atSecondsFromNow,
  expectAccessible,
  launchBrowser,
  newContext,
  screenshot,
  signIn,
  STAFF,
  startLoa,
  type Loa,
  type StaffAccount,
  waitUntil,
} from './harness.js';

const PHONE = { width: 390, height: 844 };
const SCRIPT = 'Loa loa loa! Trạm y tế phường Đồng Xoài tiêm vắc xin sởi miễn phí cho trẻ từ 1 đến 5 tuổi vào sáng thứ Bảy.';

describe("the crew lead's phone page", () => {
  let loa: Loa;
  let browser: Browser;
  let crew: StaffAccount;
  let tourId: string;

  beforeAll(async () => {
    loa = await startLoa({ demo: true });
    crew = await addStaff(loa, STAFF.crew);
    browser = await launchBrowser();
    const operator = apiAs(loa, 'hoa', ['operator']);
    const author = apiAs(loa, 'lan', ['author']);
    const approver = apiAs(loa, 'minh', ['approver']);
    const van = await operator('POST', '/v1/vans', {
      plate: '60A-555.55',
      kind: 'van',
      crewLead: { name: 'Lê Văn Hải', phone: '0912 000 333' },
      homeCommune: 'DNI-DXOAI',
    });
    // Besides the demo's van 60A-123.45, hai crews this one: the page asks which.
    await operator('POST', `/v1/vans/${van.id}/crew`, { users: [crew.user] });
    const script = await author('POST', '/v1/templates', { name: 'Tiêm vắc xin sởi', channel: 'loudspeaker', body: SCRIPT });
    await author('POST', `/v1/templates/${script.id}/submit`);
    await approver('POST', `/v1/templates/${script.id}/approve`, { version: 1 });
    const tour = await author('POST', '/v1/tours', {
      name: 'Tiêm sởi Đồng Xoài',
      vanId: van.id,
      scriptId: script.id,
      scriptVersion: 1,
      priority: 'emergency',
      schedule: { expression: atSecondsFromNow(2) },
      stops: [
        { areaCode: 'DNI-DXOAI-1', minutes: 5 },
        { areaCode: 'DNI-DXOAI-2', minutes: 5 },
      ],
    });
    tourId = tour.id;
    const { revision } = await author('POST', `/v1/tours/${tourId}/submit`);
    await approver('POST', `/v1/tours/${tourId}/approve`, { revision });
    await waitUntil(async () => (await operator('GET', `/v1/tours/${tourId}`)).status === 'dispatched', 'the tour to be dispatched');
  });
  afterAll(async () => {
    await browser?.close();
    await loa?.stop();
  });

  it('shows the van, the script in large type and the stops, and confirms one stop with a note on a 390 px phone', async () => {
    const context = await newContext(browser, PHONE);
    const page = await context.newPage();
    await signIn(page, loa, crew);
    await page.getByRole('heading', { level: 1, name: 'Hôm nay' }).waitFor();
    await page.getByRole('button', { name: /60A-555\.55/ }).click();
    await page.getByText(SCRIPT).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'crew-today');

    const firstStop = page.getByRole('listitem').filter({ hasText: 'Khu phố Tân Bình' });
    await firstStop.getByLabel('Ghi chú (nếu có)').fill('Chợ đông, đọc thêm một lần');
    await firstStop.getByRole('button', { name: 'Đã phát xong: Khu phố Tân Bình' }).click();
    await firstStop.getByText(/Đã phát xong lúc \d\d:\d\d/).waitFor();
    await page.getByText('Chợ đông, đọc thêm một lần').waitFor();
    // The second stop starts five minutes later: until then it cannot be confirmed.
    await page.getByRole('listitem').filter({ hasText: 'Khu phố Phú Thanh' }).getByText('Chưa đến giờ').waitFor();

    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'crew-today-confirmed');
    await context.close();
  });

  it('remembers the van on the phone and keeps the crew to its one page', async () => {
    const context = await newContext(browser, PHONE);
    const page = await context.newPage();
    await signIn(page, loa, crew);
    await page.getByRole('button', { name: /60A-555\.55/ }).click();
    await page.getByText(SCRIPT).waitFor();
    await page.reload();
    await page.getByText(SCRIPT).waitFor();
    await expect(page.getByRole('link', { name: 'Chiến dịch' }).count()).resolves.toBe(0);
    await context.close();
  });
});
