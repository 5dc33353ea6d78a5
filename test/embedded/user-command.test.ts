/**
 * `loa user ...` as a real process on a temp DATA_DIR, while a server over the same folder signs staff in.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHttpServer } from '../../lambdas/embedded/http-server.js';
import { startStaffServer, type StaffServer } from './staff-server.js';

const CLI = join(process.cwd(), 'lambdas', 'embedded', 'cli.ts');
/** Each command is a process that loads TypeScript through tsx: seconds each on a busy machine. */
const SLOW = 180_000;

describe('loa user', () => {
  let running: StaffServer;
  let dataDir: string;
  let server: RunningHttpServer;

  beforeAll(async () => {
    running = await startStaffServer();
    ({ dataDir, server } = running);
  });
  afterAll(() => running.close(), SLOW);

  function loa(args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { ...process.env, DATA_DIR: dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(input);
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
  }

  async function signIn(user: string, password: string, newPassword?: string) {
    const response = await fetch(`${server.url}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, password, ...(newPassword && { newPassword }) }),
    });
    const body = (await response.json()) as { type?: string };
    return { status: response.status, type: body.type, cookie: response.headers.get('set-cookie')?.split(';')[0] };
  }

  const sessionStatus = async (cookie: string) => (await fetch(`${server.url}/v1/session`, { headers: { cookie } })).status;

  it(
    'adds an account with a one-time password that must be changed at the first sign-in',
    async () => {
      const added = await loa(['user', 'add', '--user', 'lan', '--name', 'Nguyễn Thị Lan', '--role', 'author,approver']);
      expect(added.code).toBe(0);
      const password = added.stdout.trim();
      expect(password).toMatch(/^[\w-]{24}$/);
      expect(added.stderr).toMatch(/must be changed at the first sign-in/);

      const listed = await loa(['user', 'list']);
      expect(listed.stdout).toBe('lan\tNguyễn Thị Lan\tauthor,approver\tenabled, temporary password\n');

      expect(statSync(join(dataDir, 'staff.db')).mode & 0o777).toBe(0o600);
      const db = new BetterSqlite3(join(dataDir, 'staff.db'), { readonly: true });
      const { password_hash: hash } = db.prepare('SELECT password_hash FROM accounts WHERE user = ?').get('lan') as {
        password_hash: string;
      };
      db.close();
      expect(hash).toMatch(/^scrypt\$N=32768,r=8,p=3\$/);
      expect(hash).not.toContain(password);

      expect((await signIn('lan', password)).type).toBe('urn:loa:problem:password-change-required');
      const changed = await signIn('lan', password, 'Lan đặt mật khẩu riêng');
      expect(changed.status).toBe(200);
      expect(await sessionStatus(changed.cookie!)).toBe(200);
    },
    SLOW,
  );

  it(
    'refuses bad input with exit code 2 and says why',
    async () => {
      const [unknownRole, badName, twice, noUser, unknownUser, unknownAction] = await Promise.all([
        loa(['user', 'add', '--user', 'binh', '--name', 'Bình', '--role', 'author,boss']),
        loa(['user', 'add', '--user', 'Bình Nguyễn', '--name', 'Bình', '--role', 'author']),
        loa(['user', 'add', '--user', 'lan', '--name', 'Lan', '--role', 'author']),
        loa(['user', 'disable']),
        loa(['user', 'reset', '--user', 'nobody']),
        loa(['user', 'promote', '--user', 'lan']),
      ]);
      expect(unknownRole.code).toBe(2);
      expect(unknownRole.stderr).toMatch(/unknown: boss/);
      expect(badName.code).toBe(2);
      expect(badName.stderr).toMatch(/user: must be/);
      expect(twice.code).toBe(2);
      expect(twice.stderr).toMatch(/already exists/);
      expect(noUser.code).toBe(2);
      expect(noUser.stderr).toMatch(/needs --user/);
      expect(unknownUser.code).toBe(2);
      expect(unknownUser.stderr).toMatch(/No user nobody/);
      expect(unknownAction.code).toBe(2);
    },
    SLOW,
  );

  it(
    'resets a password: the old one and the open sessions stop working',
    async () => {
      const session = await signIn('lan', 'Lan đặt mật khẩu riêng');
      expect(session.status).toBe(200);
      const reset = await loa(['user', 'reset', '--user', 'lan']);
      expect(reset.code).toBe(0);
      expect(reset.stderr).toMatch(/[1-9] session\(s\) ended/);
      expect(await sessionStatus(session.cookie!)).toBe(401);
      expect((await signIn('lan', 'Lan đặt mật khẩu riêng')).status).toBe(401);
      expect((await signIn('lan', reset.stdout.trim())).type).toBe('urn:loa:problem:password-change-required');
    },
    SLOW,
  );

  it(
    'reads a password from standard input, temporary unless --permanent',
    async () => {
      const added = await loa(
        ['user', 'add', '--user', 'minh', '--name', 'Trần Văn Minh', '--role', 'approver', '--password-stdin'],
        'minh chọn mật khẩu này\n',
      );
      expect(added.code).toBe(0);
      expect(added.stdout).toBe('');
      expect((await signIn('minh', 'minh chọn mật khẩu này')).type).toBe('urn:loa:problem:password-change-required');
      const permanent = await loa(['user', 'reset', '--user', 'minh', '--password-stdin', '--permanent'], 'mật khẩu cố định của Minh');
      expect(permanent.code).toBe(0);
      expect((await signIn('minh', 'mật khẩu cố định của Minh')).status).toBe(200);
      const short = await loa(['user', 'reset', '--user', 'minh', '--password-stdin'], 'short\n');
      expect(short.code).toBe(2);
      expect(short.stderr).toMatch(/password: must be 12/);
    },
    SLOW,
  );

  it(
    'disables an account, ending its sessions, and enables it again',
    async () => {
      const session = await signIn('minh', 'mật khẩu cố định của Minh');
      const disabled = await loa(['user', 'disable', '--user', 'minh']);
      expect(disabled.code).toBe(0);
      expect(await sessionStatus(session.cookie!)).toBe(401);
      expect((await signIn('minh', 'mật khẩu cố định của Minh')).status).toBe(403);
      expect((await loa(['user', 'list'])).stdout).toMatch(/^minh\t.*\tdisabled$/m);
      expect((await loa(['user', 'enable', '--user', 'minh'])).code).toBe(0);
      expect((await signIn('minh', 'mật khẩu cố định của Minh')).status).toBe(200);
    },
    SLOW,
  );

  it('records every account change in the audit log, without passwords', async () => {
    const audit = (await running.sqlite.stores.audit.listAudit({ limit: 1000 })).items;
    const changes = audit.filter((entry) => entry.actor === 'cli').map((entry) => `${entry.action} ${entry.subject}`);
    expect(changes).toEqual(
      expect.arrayContaining([
        'staff.account_added lan',
        'staff.password_reset lan',
        'staff.account_added minh',
        'staff.account_disabled minh',
        'staff.account_enabled minh',
      ]),
    );
    const written = JSON.stringify(audit);
    for (const password of ['Lan đặt mật khẩu riêng', 'minh chọn mật khẩu này', 'mật khẩu cố định của Minh'])
      expect(written).not.toContain(password);
  });

  it(
    'mints tokens no longer than their roles allow: 12 hours for a person, 90 days for a system',
    async () => {
      const tooLong = await loa(['token', '--user', 'lan', '--role', 'author', '--hours', '13']);
      expect(tooLong.code).toBe(2);
      expect(tooLong.stderr).toContain('--hours must be a positive number, at most 12 for author');
      expect(tooLong.stdout).toBe('');
      const portal = await loa(['token', '--user', 'portal', '--role', 'integration', '--hours', '2160']);
      expect(portal.code).toBe(0);
      expect(portal.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    },
    SLOW,
  );
});
