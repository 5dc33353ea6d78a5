import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStores, type SqliteStores } from '../../lambdas/adapters/sqlite/sqlite-stores.js';
import { demoAccountsTable, seedDemoAccounts } from '../../lambdas/embedded/staff/demo-accounts.js';
import { StaffAccounts } from '../../lambdas/embedded/staff/staff-accounts.js';
import { openStaffDatabase } from '../../lambdas/embedded/staff/staff-database.js';
import { USERS } from '../http/harness.js';

describe('the demo accounts', () => {
  const clock = { now: () => new Date('2026-12-01T01:00:00Z') };
  let dir: string;
  let db: Database;
  let store: SqliteStores;
  let accounts: StaffAccounts;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'loa-demo-accounts-'));
    db = openStaffDatabase(dir);
    store = openSqliteStores(join(dir, 'loa.db'));
    accounts = new StaffAccounts(db, clock, { N: 2 ** 10, r: 8, p: 1 });
  });
  afterAll(() => {
    store.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives each staff role an account whose printed password signs in at once', async () => {
    const signIns = await seedDemoAccounts(accounts, { audit: store.audit, clock });
    expect(signIns.map(({ user, role }) => [role, user])).toEqual([
      ['author', USERS.author],
      ['approver', USERS.approver],
      ['operator', USERS.operator],
      ['viewer', USERS.viewer],
      ['crew', 'hai'],
    ]);
    for (const { user, role, password } of signIns) {
      const account = await accounts.checkPassword(user, password);
      expect(account).toMatchObject({ user, roles: [role], enabled: true, mustChangePassword: false });
    }
    const table = demoAccountsTable(signIns).split('\n');
    expect(table[0]).toMatch(/^\s+user\s+role\s+password$/);
    expect(table[1]).toBe(`  lan   author    ${signIns[0]!.password}`);
  });

  it('prints new passwords at the next start, voiding the old ones and enabling the accounts again', async () => {
    const [before] = await seedDemoAccounts(accounts, { audit: store.audit, clock });
    accounts.setEnabled('lan', false);
    const [after] = await seedDemoAccounts(accounts, { audit: store.audit, clock });
    expect(after!.password).not.toBe(before!.password);
    expect(await accounts.checkPassword('lan', before!.password)).toBeUndefined();
    expect(await accounts.checkPassword('lan', after!.password)).toMatchObject({ enabled: true });
  });
});
