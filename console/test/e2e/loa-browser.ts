/**
 * The console end to end, for the browser tests and the console benchmark: the real embedded runtime
 * (SQLite, scheduler, SMPP to the SMSC simulator) on a free loopback port with its data in a temp folder,
 * staff accounts made with the real CLI, and Debian's Chromium driven by Playwright.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Role } from '../../../lambdas/core/auth/caller.js';
import { seedDemo } from '../../../lambdas/embedded/demo.js';
import { startRuntime, type Runtime } from '../../../lambdas/embedded/runtime.js';
import { readSettings } from '../../../lambdas/embedded/settings.js';
import { issueToken, loadOrCreateSigningKey } from '../../../lambdas/embedded/tokens.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SCREENSHOTS = join(ROOT, 'console/test/e2e/screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Loa {
  url: string;
  runtime: Runtime;
  dataDir: string;
  stop(): Promise<void>;
}

/** A running Loa; `demo` seeds the demo province (10,000 subscribers, templates, vans and tours). */
export async function startLoa(options: { demo?: boolean; env?: Record<string, string> } = {}): Promise<Loa> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loa-console-'));
  let runtime: Runtime | undefined;
  const stop = async (): Promise<void> => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
  };
  try {
    const settings = readSettings({
      DATA_DIR: dataDir,
      PORT: '0',
      LOA_SIM_REPORT_DELAY_MS: '20',
      // Campaigns in these tests are normal priority and must send whatever the hour of the run.
      LOA_QUIET_HOURS: '00:00-00:00',
      LOA_TOUR_QUIET_HOURS: '00:00-00:00',
      ...options.env,
    });
    runtime = await startRuntime(settings);
    if (options.demo) await seedDemo(runtime.deps);
    return { url: runtime.url, runtime, dataDir, stop };
  } catch (error) {
    // The caller gets no Loa to stop: leave nothing running and nothing on disk.
    await stop();
    throw error;
  }
}

export interface StaffAccount {
  user: string;
  name: string;
  roles: Role[];
  password: string;
}

/** Made with the real CLI (`npm run loa -- user add ... --password-stdin --permanent`), as an administrator would. */
export async function addStaff(loa: Loa, account: Omit<StaffAccount, 'password'> & { password?: string }): Promise<StaffAccount> {
  const password = account.password ?? `mat-khau-${account.user}-2026`;
  const args = ['--import', 'tsx', 'lambdas/embedded/cli.ts', 'user', 'add', '--user', account.user, '--name', account.name];
  args.push('--role', account.roles.join(','), '--password-stdin', '--permanent');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: loa.dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`user add ${account.user}: exit ${code}: ${stderr}`))));
    child.stdin.end(`${password}\n`);
  });
  return { ...account, password };
}

/** Calls the API as `user` with `roles` by bearer token (as `loa token` makes), for setting up what a test needs. */
export function apiAs(loa: Loa, user: string, roles: Role[]) {
  return async <T = any>(method: string, path: string, json?: unknown): Promise<T> => {
    const token = await issueToken(await loadOrCreateSigningKey(loa.dataDir), { user, roles, ttlSeconds: 600 });
    const response = await fetch(loa.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(json !== undefined && { 'content-type': 'application/json' }) },
      ...(json !== undefined && { body: JSON.stringify(json) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

/** Polls `check` until it is true, for set-up outside a test where expect.poll is not available. */
export async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** `at(...)` for `seconds` from now in the deployment's time zone (Asia/Ho_Chi_Minh, UTC+7, no daylight saving). */
export function atSecondsFromNow(seconds: number): string {
  return `at(${new Date(Date.now() + 7 * 3_600_000 + seconds * 1000).toISOString().slice(0, 19)})`;
}

/** One account per staff role, as `--demo` makes them. */
export const STAFF: Record<'author' | 'approver' | 'operator' | 'viewer' | 'crew', Omit<StaffAccount, 'password'>> = {
  author: { user: 'lan', name: 'Nguyễn Thị Lan', roles: ['author'] },
  approver: { user: 'minh', name: 'Trần Văn Minh', roles: ['approver'] },
  operator: { user: 'hoa', name: 'Lê Thị Hoa', roles: ['operator'] },
  viewer: { user: 'tuan', name: 'Phạm Anh Tuấn', roles: ['viewer'] },
  crew: { user: 'hai', name: 'Lê Văn Hải', roles: ['crew'] },
};

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh browser profile: no cookie, no remembered language. */
export async function newContext(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  return browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'UTC' });
}

/** Signs in through the sign-in page and waits for the console to show the signed-in name. */
export async function signIn(page: Page, loa: Loa, account: StaffAccount): Promise<void> {
  await page.goto(loa.url);
  await page.getByLabel('Tên đăng nhập').fill(account.user);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.locator('.topbar__user').getByText(account.name).waitFor();
}

/** Saves a PNG under console/test/e2e/screenshots/ (not committed; the README's are copied to docs/). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
