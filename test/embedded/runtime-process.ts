import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Role } from '../../lambdas/core/auth/caller.js';
import { issueToken, loadOrCreateSigningKey } from '../../lambdas/embedded/tokens.js';
import { newTempFolder } from '../temp-folder.js';

const CLI = join(process.cwd(), 'lambdas', 'embedded', 'cli.ts');

/** A quiet window that never contains the next hours, so normal-priority tests send at any time of day. */
export function quietHoursAwayFromNow(timezone = 'Asia/Ho_Chi_Minh'): string {
  const hour = Number(new Intl.DateTimeFormat('en', { timeZone: timezone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
  const pad = (h: number) => String(h % 24).padStart(2, '0');
  return `${pad(hour + 12)}:00-${pad(hour + 13)}:00`;
}

/** A data folder for a runtime, removed after the test file (test/temp-folder.ts). */
export function newDataDir(): string {
  return newTempFolder('loa-runtime-');
}

export interface RuntimeProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `loa start` as a real child process on a free port and resolves once it listens. */
export async function startRuntimeProcess(dataDir: string, env: Record<string, string> = {}): Promise<RuntimeProcess> {
  // Node itself, not the tsx wrapper, so that SIGKILL kills the runtime and not only a launcher.
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start'], {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOA_QUIET_HOURS: quietHoursAwayFromNow(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /Staff console: (http:\/\/[^/\s]+)/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(match[1]!);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`runtime exited with ${code} before listening:\n${output}`));
    });
  });
  return { url, child, output: () => output, exited };
}

export async function tokenFor(dataDir: string, user: string, roles: Role[]): Promise<string> {
  return issueToken(await loadOrCreateSigningKey(dataDir), { user, roles, ttlSeconds: 3600 });
}

export function api(url: string, token: string) {
  return async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': contentType }),
      },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The wall clock in Asia/Ho_Chi_Minh `seconds` from now, as at() wants it. */
export function atExpressionIn(seconds: number): string {
  const local = new Date(Date.now() + seconds * 1000 + 7 * 3_600_000).toISOString().slice(0, 19);
  return `at(${local})`;
}
