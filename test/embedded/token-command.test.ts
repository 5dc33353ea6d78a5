/**
 * `loa token` and `loa token revoke` as real processes over the DATA_DIR of a running `loa start`: the
 * token's id, its audit entries, and its refusal by the running server once revoked.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenRegistry } from '../../lambdas/embedded/token-registry.js';
import { loadOrCreateSigningKey, mintToken, verifyToken } from '../../lambdas/embedded/tokens.js';
import { newTempFolder } from '../temp-folder.js';
import { api, newDataDir, type RuntimeProcess, startRuntimeProcess, tokenFor, waitFor } from './runtime-process.js';

const CLI = join(process.cwd(), 'lambdas', 'embedded', 'cli.ts');
/** Each command is a process that loads TypeScript through tsx: seconds each on a busy machine. */
const SLOW = 180_000;

describe('loa token', () => {
  let dataDir: string;
  let runtime: RuntimeProcess;

  beforeAll(async () => {
    dataDir = newDataDir();
    runtime = await startRuntimeProcess(dataDir);
  }, SLOW);
  afterAll(async () => {
    runtime.child.kill('SIGTERM');
    await runtime.exited;
  }, SLOW);

  function loa(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { ...process.env, DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
  }

  async function auditOf(action: string) {
    const viewer = api(runtime.url, await tokenFor(dataDir, 'tuan', ['viewer']));
    const { body } = await viewer('GET', `/v1/audit?action=${action}`);
    return body.items as { actor: string; action: string; subject: string; details?: Record<string, unknown> }[];
  }

  it(
    'prints the token alone on standard output and its id on standard error, and audits the minting without the token',
    async () => {
      const minted = await loa(['token', '--user', 'lan', '--role', 'author,approver', '--hours', '2']);

      expect(minted.code).toBe(0);
      const token = minted.stdout.trim();
      const id = decodeJwt(token).jti!;
      expect(id).toMatch(/^tok_\w+$/);
      expect(minted.stderr).toContain(`Token ${id} for lan (author, approver), valid until `);
      expect(minted.stderr).toContain(`npm run loa -- token revoke ${id}`);
      expect((await api(runtime.url, token)('GET', '/v1/me')).status).toBe(200);

      const [entry] = (await auditOf('token.issued')).filter((item) => item.subject === id);
      expect(entry).toEqual(
        expect.objectContaining({
          actor: 'cli',
          details: { user: 'lan', roles: ['author', 'approver'], expiresAt: new Date(decodeJwt(token).exp! * 1000).toISOString() },
        }),
      );
      expect(JSON.stringify(await auditOf('token.issued'))).not.toContain(token.split('.')[2]);
    },
    SLOW,
  );

  it(
    'revokes a token by its id: the running server refuses it within seconds, other tokens still work, and it is audited',
    async () => {
      const token = (await loa(['token', '--user', 'hoa', '--role', 'operator'])).stdout.trim();
      const other = await tokenFor(dataDir, 'hoa', ['operator']);
      const id = decodeJwt(token).jti!;
      const asHoa = api(runtime.url, token);
      expect((await asHoa('GET', '/v1/me')).status).toBe(200);

      const revoked = await loa(['token', 'revoke', id]);

      expect(revoked.code).toBe(0);
      expect(revoked.stderr).toContain(`Revoked token ${id} of hoa (operator)`);
      const refusal = await waitFor(
        'the revoked token to be refused',
        async () => {
          const answer = await asHoa('GET', '/v1/me');
          return answer.status === 401 ? answer : undefined;
        },
        5_000,
      );
      expect(refusal.body).toMatchObject({ detail: 'The bearer token is invalid, expired or revoked' });
      expect((await api(runtime.url, other)('GET', '/v1/me')).status).toBe(200);
      expect((await auditOf('token.revoked')).find((item) => item.subject === id)).toEqual(
        expect.objectContaining({ actor: 'cli', details: { user: 'hoa', roles: ['operator'], expiresAt: expect.any(String) } }),
      );

      const again = await loa(['token', 'revoke', id]);
      expect(again).toMatchObject({ code: 0, stderr: `Token ${id} was already revoked\n` });
    },
    SLOW,
  );

  it(
    'says so when asked to revoke an id it never made',
    async () => {
      const unknown = await loa(['token', 'revoke', 'tok_nosuchtoken']);

      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('No token tok_nosuchtoken that is still valid was made with this data folder');
    },
    SLOW,
  );
});

describe('the token registry', () => {
  it('lets a revocation reach a server within its refresh interval, and forgets tokens that have expired', async () => {
    const dataDir = newTempFolder('loa-tokens-');
    let now = new Date('2026-12-05T08:00:00Z');
    const clock = { now: () => now };
    const db = new BetterSqlite3(join(dataDir, 'staff.db'));
    const cli = new TokenRegistry(db, clock);
    const server = new TokenRegistry(new BetterSqlite3(join(dataDir, 'staff.db')), clock);
    const key = await loadOrCreateSigningKey(dataDir);
    const minted = await mintToken(key, { user: 'lan', roles: ['author'], ttlSeconds: 3_600 }, now);
    cli.register({ id: minted.id, user: 'lan', roles: ['author'], expiresAt: minted.expiresAt });
    expect(server.isRevoked(minted.id)).toBe(false);

    expect(cli.revoke(minted.id)).toMatchObject({ revoked: { id: minted.id, user: 'lan', roles: ['author'] } });
    expect(server.isRevoked(minted.id)).toBe(false);
    now = new Date(now.getTime() + 1_000);
    expect(server.isRevoked(minted.id)).toBe(true);

    now = new Date(minted.expiresAt.getTime() + 1);
    cli.register({ id: 'tok_next', user: 'lan', roles: ['author'], expiresAt: new Date(now.getTime() + 60_000) });
    expect(db.prepare('SELECT id FROM tokens').all()).toEqual([{ id: 'tok_next' }]);
    expect(cli.revoke(minted.id)).toEqual({ unknown: true });
  });

  it('refuses a token without an id, which could never be revoked', async () => {
    const key = await loadOrCreateSigningKey(newTempFolder('loa-tokens-'));
    const now = Math.floor(Date.now() / 1000);
    const withoutId = await new SignJWT({ roles: ['author'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('lan')
      .setIssuer('loa-embedded')
      .setAudience('loa')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(key);

    await expect(verifyToken(key, withoutId)).rejects.toThrow(/jti/);
  });
});
