/**
 * Staff sign-in over real HTTP on loopback: the embedded server with the session routes, the staff
 * database in a temp folder, and a clock the tests move.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningHttpServer } from '../../lambdas/embedded/http-server.js';
import type { StaffAuth } from '../../lambdas/embedded/staff/staff-auth.js';
import { issueToken, loadOrCreateSigningKey } from '../../lambdas/embedded/tokens.js';
import type { ApiLogEntry } from '../../lambdas/http/api-log.js';
import { startStaffServer, type StaffServer } from '../embedded/staff-server.js';
import type { SqliteDeps } from '../sqlite-deps.js';
import { RecordingScheduler } from './harness.js';

/** Cheap enough for dozens of sign-ins; the default cost is checked in the CLI test. */
const TEST_COST = { N: 2 ** 10, r: 8, p: 1 };
const LAN_PASSWORD = 'mật khẩu của Lan 2026';
const MINH_PASSWORD = 'minh-approver-password';

interface Answer {
  status: number;
  body: any;
  headers: Headers;
  cookie: string | undefined;
}

describe('staff sign-in on the embedded server', () => {
  let now = new Date('2026-12-01T01:00:00Z');
  const clock = { now: () => now };
  const advance = (ms: number) => (now = new Date(now.getTime() + ms));
  const minutes = (n: number) => n * 60_000;

  let running: StaffServer;
  let dataDir: string;
  let sqlite: SqliteDeps;
  let staff: StaffAuth;
  let server: RunningHttpServer;
  const logs: ApiLogEntry[] = [];

  beforeAll(async () => {
    running = await startStaffServer({ clock, scheduler: new RecordingScheduler(), cost: TEST_COST, log: (entry) => logs.push(entry) });
    ({ dataDir, sqlite, staff, server } = running);
    await staff.accounts.add({ user: 'lan', name: 'Nguyễn Thị Lan', roles: ['author'], password: LAN_PASSWORD, temporary: false });
    await staff.accounts.add({ user: 'minh', name: 'Trần Văn Minh', roles: ['approver'], password: MINH_PASSWORD, temporary: false });
  });
  afterAll(() => running.close());
  // A minute apart at least: the per-address limit of one test does not reach into the next.
  beforeEach(() => void advance(minutes(61)));

  async function call(
    method: string,
    path: string,
    options: { json?: unknown; cookie?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.cookie) headers.cookie = options.cookie;
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers,
      ...(options.json !== undefined && { body: JSON.stringify(options.json) }),
    });
    const text = await response.text();
    const setCookie = response.headers.get('set-cookie') ?? undefined;
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers, cookie: setCookie };
  }

  const signIn = (user: string, password: string, extra: { newPassword?: string; headers?: Record<string, string> } = {}) =>
    call('POST', '/v1/session', {
      json: { user, password, ...(extra.newPassword && { newPassword: extra.newPassword }) },
      headers: extra.headers ?? {},
    });

  /** The `name=value` part of a Set-Cookie, as a browser sends it back. */
  const cookieOf = (answer: Answer) => answer.cookie!.split(';')[0]!;

  async function signedIn(user = 'lan', password = LAN_PASSWORD): Promise<string> {
    const answer = await signIn(user, password);
    expect(answer.status).toBe(200);
    return cookieOf(answer);
  }

  it('signs in with a session cookie that scripts cannot read and other sites do not send', async () => {
    const answer = await signIn('lan', LAN_PASSWORD);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      user: 'lan',
      name: 'Nguyễn Thị Lan',
      roles: ['author'],
      expiresAt: new Date(now.getTime() + minutes(30)).toISOString(),
    });
    const attributes = answer.cookie!.split(';').map((part) => part.trim());
    expect(attributes[0]).toMatch(/^loa_session=[A-Za-z0-9_-]{43}$/);
    expect(attributes.slice(1)).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Strict']));
    expect(attributes).not.toContain('Secure');

    const id = attributes[0]!.slice('loa_session='.length);
    const db = new BetterSqlite3(join(dataDir, 'staff.db'), { readonly: true });
    const stored = db.prepare('SELECT token_hash FROM sessions').all() as { token_hash: string }[];
    const hashes = db.prepare('SELECT password_hash FROM accounts').all() as { password_hash: string }[];
    db.close();
    expect(stored.map((row) => row.token_hash)).not.toContain(id);
    expect(hashes.every((row) => /^scrypt\$N=\d+,r=\d+,p=\d+\$[\w-]{22}\$[\w-]{43}$/.test(row.password_hash))).toBe(true);
  });

  it('marks the cookie Secure when the request came over HTTPS', async () => {
    const answer = await signIn('lan', LAN_PASSWORD, { headers: { 'x-forwarded-proto': 'https' } });
    expect(answer.status).toBe(200);
    expect(answer.cookie).toMatch(/; Secure/);
  });

  it('gives the signed-in account its roles on every route, and no other', async () => {
    const cookie = await signedIn();
    const session = await call('GET', '/v1/session', { cookie });
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ user: 'lan', name: 'Nguyễn Thị Lan', roles: ['author'] });

    const template = await call('POST', '/v1/templates', {
      cookie,
      json: { name: 'Khuyến cáo', body: 'Sở Y tế khuyến cáo: rửa tay.', placeholders: [] },
    });
    expect(template.status).toBe(201);
    expect(template.body.createdBy).toBe('lan');
    const approve = await call('POST', `/v1/templates/${template.body.id}/approve`, { cookie, json: { version: 1 } });
    expect(approve.status).toBe(403);
  });

  it('answers 401 without a session, and keeps bearer tokens working as before', async () => {
    expect((await call('GET', '/v1/session')).status).toBe(401);
    expect((await call('GET', '/v1/templates', { cookie: 'loa_session=forged' })).status).toBe(401);
    const token = await issueToken(await loadOrCreateSigningKey(dataDir), { user: 'tuan', roles: ['viewer'], ttlSeconds: 60 });
    expect((await call('GET', '/v1/templates', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('ends a session after 30 minutes without a request, each request moving that limit on', async () => {
    const cookie = await signedIn();
    advance(minutes(29));
    expect((await call('GET', '/v1/templates', { cookie })).status).toBe(200);
    advance(minutes(29));
    const session = await call('GET', '/v1/session', { cookie });
    expect(session.status).toBe(200);
    expect(session.body.expiresAt).toBe(new Date(now.getTime() + minutes(30)).toISOString());
    advance(minutes(30));
    expect((await call('GET', '/v1/templates', { cookie })).status).toBe(401);
    expect((await call('GET', '/v1/session', { cookie })).status).toBe(401);
  });

  it('ends a session 12 hours after sign-in however busy it is', async () => {
    const cookie = await signedIn();
    for (let elapsed = 0; elapsed < 12 * 60 - 25; elapsed += 25) {
      advance(minutes(25));
      expect((await call('GET', '/v1/session', { cookie })).status).toBe(200);
    }
    advance(minutes(25));
    expect((await call('GET', '/v1/session', { cookie })).status).toBe(401);
  });

  it('signs out on the server: the old cookie opens nothing afterwards', async () => {
    const cookie = await signedIn();
    const out = await call('DELETE', '/v1/session', { cookie });
    expect(out.status).toBe(204);
    expect(out.cookie).toMatch(/^loa_session=; .*Max-Age=0/);
    expect((await call('GET', '/v1/session', { cookie })).status).toBe(401);
    expect((await call('GET', '/v1/templates', { cookie })).status).toBe(401);
    const audit = await sqlite.stores.audit.listAudit({ limit: 1000 });
    expect(audit.items.map((entry) => entry.action)).toEqual(expect.arrayContaining(['staff.signed_in', 'staff.signed_out']));
    expect(audit.items.find((entry) => entry.action === 'staff.signed_in')?.details).toEqual({ roles: ['author'] });
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrongPassword = await signIn('lan', 'not the password at all');
    const unknownUser = await signIn('nobody', LAN_PASSWORD);
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(wrongPassword.body.detail).toBe(unknownUser.body.detail);
    expect(wrongPassword.cookie).toBeUndefined();
  });

  it('locks an account for 15 minutes after 5 failures in a row (423 with Retry-After)', async () => {
    for (let attempt = 1; attempt <= 4; attempt++) expect((await signIn('minh', `wrong password ${attempt}`)).status).toBe(401);
    const fifth = await signIn('minh', 'wrong password 5');
    expect(fifth.status).toBe(423);
    expect(fifth.body.type).toBe('urn:loa:problem:account-locked');
    expect(fifth.headers.get('retry-after')).toBe('900');

    advance(minutes(14));
    const stillLocked = await signIn('minh', MINH_PASSWORD);
    expect(stillLocked.status).toBe(423);
    expect(stillLocked.headers.get('retry-after')).toBe('60');
    advance(minutes(1));
    expect((await signIn('minh', MINH_PASSWORD)).status).toBe(200);

    const audit = await sqlite.stores.audit.listAudit({ limit: 1000 });
    expect(audit.items.filter((entry) => entry.action === 'staff.locked_out').map((entry) => entry.subject)).toEqual(['minh']);
  });

  it('locks a user name that does not exist the same way, so a lock tells nothing', async () => {
    for (let attempt = 1; attempt <= 4; attempt++) expect((await signIn('ghost', 'whatever it is')).status).toBe(401);
    expect((await signIn('ghost', 'whatever it is')).status).toBe(423);
  });

  it('limits sign-in attempts from one address to 10 a minute (429 with Retry-After)', async () => {
    for (let attempt = 1; attempt <= 10; attempt++) expect((await signIn(`visitor${attempt}`, 'a guess of a password')).status).toBe(401);
    const refused = await signIn('lan', LAN_PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.body.type).toBe('urn:loa:problem:too-many-requests');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    advance(minutes(1));
    expect((await signIn('lan', LAN_PASSWORD)).status).toBe(200);
  });

  it('asks for a new password when the password is temporary, takes it, and a new password ends the other sessions', async () => {
    await staff.accounts.add({ user: 'hoa', name: 'Lê Thị Hoa', roles: ['operator'], password: 'temporary-password-1', temporary: true });
    const first = await signIn('hoa', 'temporary-password-1');
    expect(first.status).toBe(403);
    expect(first.body.type).toBe('urn:loa:problem:password-change-required');
    expect(first.cookie).toBeUndefined();

    const tooShort = await signIn('hoa', 'temporary-password-1', { newPassword: 'short' });
    expect(tooShort.status).toBe(422);
    expect(tooShort.body.errors).toEqual([expect.objectContaining({ field: 'newPassword' })]);

    const changed = await signIn('hoa', 'temporary-password-1', { newPassword: 'hoa chọn mật khẩu mới' });
    expect(changed.status).toBe(200);
    expect(changed.body.roles).toEqual(['operator']);
    expect((await signIn('hoa', 'temporary-password-1')).status).toBe(401);
    const later = await signIn('hoa', 'hoa chọn mật khẩu mới');
    expect(later.status).toBe(200);

    const changedAgain = await signIn('hoa', 'hoa chọn mật khẩu mới', { newPassword: 'mật khẩu thứ ba của Hoa' });
    expect(changedAgain.status).toBe(200);
    expect((await call('GET', '/v1/session', { cookie: cookieOf(changed) })).status).toBe(401);
    expect((await call('GET', '/v1/session', { cookie: cookieOf(later) })).status).toBe(401);
    expect((await call('GET', '/v1/session', { cookie: cookieOf(changedAgain) })).status).toBe(200);
  });

  it('refuses a disabled account even with the right password, and ends its sessions', async () => {
    await staff.accounts.add({
      user: 'tuan',
      name: 'Phạm Minh Tuấn',
      roles: ['viewer'],
      password: 'tuan-viewer-password',
      temporary: false,
    });
    const cookie = await signedIn('tuan', 'tuan-viewer-password');
    staff.accounts.setEnabled('tuan', false);
    expect((await call('GET', '/v1/templates', { cookie })).status).toBe(401);
    const refused = await signIn('tuan', 'tuan-viewer-password');
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/disabled/);
  });

  it('refuses an unsafe request from a page of another origin acting through the cookie', async () => {
    const cookie = await signedIn();
    const json = { name: 'Khuyến cáo', body: 'Sở Y tế khuyến cáo: đeo khẩu trang.', placeholders: [] };
    const foreign = await call('POST', '/v1/templates', { cookie, json, headers: { origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    const own = await call('POST', '/v1/templates', { cookie, json, headers: { origin: server.url } });
    expect(own.status).toBe(201);
    expect((await call('GET', '/v1/templates', { cookie, headers: { origin: 'http://evil.example' } })).status).toBe(200);
    const foreignSignIn = await signIn('lan', LAN_PASSWORD, { headers: { origin: 'http://evil.example' } });
    expect(foreignSignIn.status).toBe(403);
  });

  it('documents the session routes in /openapi.json as embedded-only', async () => {
    const document = (await call('GET', '/openapi.json')).body;
    const session = document.paths['/v1/session'];
    expect(Object.keys(session).sort()).toEqual(['delete', 'get', 'post']);
    expect(session.post.description).toMatch(/Embedded runtime only/);
    expect(session.post.requestBody.content['application/json'].schema.required).toEqual(['user', 'password']);
    expect(session.get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/StaffSession' });
    expect(document.components.schemas.StaffSession.required).toEqual(['user', 'name', 'roles', 'expiresAt']);
    expect(Object.keys(session.post.responses)).toEqual(expect.arrayContaining(['401', '403', '423', '429']));
  });

  it('keeps the staff database readable by its owner only, and no password in the logs or the audit', async () => {
    expect(statSync(join(dataDir, 'staff.db')).mode & 0o777).toBe(0o600);
    const audit = await sqlite.stores.audit.listAudit({ limit: 1000 });
    const written = JSON.stringify(logs) + JSON.stringify(audit.items);
    expect(logs.length).toBeGreaterThan(10);
    for (const password of [
      LAN_PASSWORD,
      MINH_PASSWORD,
      'temporary-password-1',
      'hoa chọn mật khẩu mới',
      'mật khẩu thứ ba của Hoa',
      'tuan-viewer-password',
    ]) {
      expect(written).not.toContain(password);
    }
  });
});
