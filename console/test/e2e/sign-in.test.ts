import type { Browser } from 'playwright-core';
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

describe('signing in to the console', () => {
  let loa: Loa;
  let browser: Browser;
  let author: StaffAccount;

  beforeAll(async () => {
    loa = await startLoa();
    author = await addStaff(loa, STAFF.author);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await loa?.stop();
  });

  it('serves the console at / with a Content-Security-Policy that allows no inline script or framing', async () => {
    const response = await fetch(loa.url);
    expect(response.status).toBe(200);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await response.text()).not.toMatch(/<script>(?!<\/script>)/);
  });

  it('lets an author sign in and out, in Vietnamese, with an accessible sign-in page', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(loa.url);
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'sign-in');

    await signIn(page, loa, author);
    await page.getByRole('link', { name: 'Mẫu tin' }).waitFor();
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
    await context.close();
  });

  it('switches to English, remembers it in this browser, and back to Vietnamese', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(loa.url);
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expect(page.evaluate<string>('document.documentElement.lang')).resolves.toBe('en');
    await page.getByLabel('User name').fill(author.user);
    await page.getByLabel('Password', { exact: true }).fill(author.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Templates' }).waitFor();
    await page.reload();
    await page.getByRole('link', { name: 'Templates' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'home-english');
    await page.getByLabel('Language').selectOption('vi');
    await page.getByRole('link', { name: 'Mẫu tin' }).waitFor();
    await context.close();
  });

  it('says a wrong password plainly and keeps what was typed', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(loa.url);
    await page.getByLabel('Tên đăng nhập').fill(author.user);
    await page.getByLabel('Mật khẩu', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('alert').waitFor();
    await expect(page.getByLabel('Tên đăng nhập').inputValue()).resolves.toBe(author.user);
    await context.close();
  });
});
