/**
 * `npm run bench:console -- --runs N` (default 10): what the staff console costs a browser. First the
 * JavaScript the first page loads (the scripts index.html names and the chunks they import at once),
 * gzipped at level 9, against the 250 KB budget; then, in Debian's Chromium against the embedded
 * runtime on loopback (demo province), N cold loads (a fresh profile each, nothing cached) timed from
 * navigation to: the HTML's DOMContentLoaded, the sign-in form on screen, and, after signing in, the
 * home page's heading on screen. Prints, last, one JSON line of medians and slowest loads in ms.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { addStaff, launchBrowser, newContext, STAFF, startLoa } from '../console/test/e2e/loa-browser.js';
import { CONSOLE_DIST } from '../lambdas/embedded/console-files.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
if (!(runs > 0)) throw new Error('--runs must be a positive number');
const log = (message: string) => process.stdout.write(`${message}\n`);

/** The scripts of the first page: index.html's, and what each imports statically, followed to the end. */
function firstPageScripts(): string[] {
  const html = readFileSync(join(CONSOLE_DIST, 'index.html'), 'utf8');
  const pending = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/([^"]+\.js)"/g)].map(
    (match) => match[1]!,
  );
  const seen = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(join(CONSOLE_DIST, file), 'utf8');
    for (const match of code.matchAll(/(?:^|[;\s])import\s*(?:[\w{},*\s$]+from\s*)?["']\.\/([^"']+\.js)["']/g))
      pending.push(`assets/${match[1]}`);
  }
  return [...seen];
}

const scripts = firstPageScripts();
const gzipped = scripts.reduce((sum, file) => sum + gzipSync(readFileSync(join(CONSOLE_DIST, file)), { level: 9 }).length, 0);
const raw = scripts.reduce((sum, file) => sum + readFileSync(join(CONSOLE_DIST, file)).length, 0);
log(`first page: ${scripts.length} script(s), ${raw} bytes, ${gzipped} bytes gzipped (budget 256000)`);

const loa = await startLoa({ demo: true });
const operator = await addStaff(loa, STAFF.operator);
const browser = await launchBrowser();
const samples: { domContentLoaded: number; signInForm: number; home: number }[] = [];
try {
  for (let run = 0; run < runs; run++) {
    const context = await newContext(browser);
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(loa.url, { waitUntil: 'domcontentloaded' });
    const domContentLoaded = performance.now() - started;
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
    const signInForm = performance.now() - started;
    await page.getByLabel('Tên đăng nhập').fill(operator.user);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(operator.password);
    const submitted = performance.now();
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('heading', { level: 1, name: 'Việc cần làm' }).waitFor();
    samples.push({ domContentLoaded, signInForm, home: performance.now() - submitted });
    await context.close();
    const rounded = (_key: string, value: unknown) => (typeof value === 'number' ? Math.round(value) : value);
    log(`run ${run + 1}: ${JSON.stringify(samples.at(-1), rounded)}`);
  }
} finally {
  await browser.close();
  await loa.stop();
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const round = (value: number) => Math.round(value * 10) / 10;
const figure = (key: keyof (typeof samples)[number]) => ({
  median: round(median(samples.map((sample) => sample[key]))),
  max: round(Math.max(...samples.map((sample) => sample[key]))),
});
log(
  JSON.stringify({
    firstPageJsGzipBytes: gzipped,
    firstPageJsBytes: raw,
    runs,
    domContentLoadedMs: figure('domContentLoaded'),
    signInFormMs: figure('signInForm'),
    signInToHomeMs: figure('home'),
  }),
);
