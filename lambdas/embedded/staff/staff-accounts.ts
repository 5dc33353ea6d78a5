/**
 * Staff accounts of the embedded runtime: user name, display name, Loa roles, enabled or not, and a
 * password hash. A temporary password (made by `loa user add` or `user reset`) must be replaced at the
 * first sign-in.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { ROLES, type Role } from '../../core/auth/caller.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import type { Clock } from '../../core/ports.js';
import { DEFAULT_SCRYPT_COST, hashPassword, needsRehash, verifyPassword, type ScryptCost } from './password-hash.js';

export interface StaffAccount {
  user: string;
  name: string;
  roles: Role[];
  enabled: boolean;
  /** The password is temporary: the next sign-in must set a new one. */
  mustChangePassword: boolean;
  createdAt: string;
  updatedAt: string;
}

const USER_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

interface AccountRow {
  user: string;
  name: string;
  roles: string;
  enabled: number;
  password_hash: string;
  must_change_password: number;
  created_at: string;
  updated_at: string;
}

export class StaffAccounts {
  /** Hashed by no password, verified against when the user does not exist so both cases take as long. */
  private decoy: Promise<string> | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly cost: ScryptCost = DEFAULT_SCRYPT_COST,
  ) {}

  get(user: string): StaffAccount | undefined {
    const row = this.db.prepare('SELECT * FROM accounts WHERE user = ?').get(user) as AccountRow | undefined;
    return row && toAccount(row);
  }

  list(): StaffAccount[] {
    return (this.db.prepare('SELECT * FROM accounts ORDER BY user').all() as AccountRow[]).map(toAccount);
  }

  async add(input: { user: string; name: string; roles: readonly string[]; password: string; temporary: boolean }): Promise<StaffAccount> {
    const user = checkUserName(input.user);
    const name = input.name.trim();
    if (name === '' || name.length > 200) throw ValidationError.field('name', 'must be 1 to 200 characters');
    const roles = checkRoles(input.roles);
    const hash = await hashPassword(checkPassword(input.password), this.cost);
    const now = this.clock.now().toISOString();
    const inserted = this.db
      .prepare(
        `INSERT INTO accounts (user, name, roles, enabled, password_hash, must_change_password, created_at, updated_at)
         VALUES (?, ?, ?, 1, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(user, name, roles.join(','), hash, input.temporary ? 1 : 0, now, now);
    if (inserted.changes === 0) throw new ConflictError(`The user ${user} already exists`);
    return this.get(user)!;
  }

  async setPassword(user: string, password: string, options: { temporary: boolean }): Promise<void> {
    const hash = await hashPassword(checkPassword(password), this.cost);
    this.update(user, 'password_hash = ?, must_change_password = ?', hash, options.temporary ? 1 : 0);
  }

  setEnabled(user: string, enabled: boolean): void {
    this.update(user, 'enabled = ?', enabled ? 1 : 0);
  }

  setProfile(user: string, profile: { name: string; roles: readonly string[] }): void {
    this.update(user, 'name = ?, roles = ?', profile.name, checkRoles(profile.roles).join(','));
  }

  /**
   * The account when `password` is its password, whether enabled or not; undefined otherwise, taking as
   * long for a user who does not exist. A hash made with an older cost is redone.
   */
  async checkPassword(user: string, password: string): Promise<StaffAccount | undefined> {
    const row = this.db.prepare('SELECT * FROM accounts WHERE user = ?').get(user) as AccountRow | undefined;
    if (!row) {
      this.decoy ??= hashPassword(randomBytes(16).toString('hex'), this.cost);
      await verifyPassword(password, await this.decoy);
      return undefined;
    }
    if (!(await verifyPassword(password, row.password_hash))) return undefined;
    if (needsRehash(row.password_hash, this.cost)) {
      this.db.prepare('UPDATE accounts SET password_hash = ? WHERE user = ?').run(await hashPassword(password, this.cost), user);
    }
    return toAccount(row);
  }

  private update(user: string, assignments: string, ...values: unknown[]): void {
    const now = this.clock.now().toISOString();
    const changed = this.db.prepare(`UPDATE accounts SET ${assignments}, updated_at = ? WHERE user = ?`).run(...values, now, user);
    if (changed.changes === 0) throw new NotFoundError(`No user ${user}`);
  }
}

/** A password to hand out once: 18 random bytes (144 bits) as 24 base64url characters. */
export function oneTimePassword(): string {
  return randomBytes(18).toString('base64url');
}

export function checkUserName(user: string): string {
  if (!USER_NAME.test(user)) {
    throw ValidationError.field(
      'user',
      'must be 1 to 64 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit',
    );
  }
  return user;
}

function checkRoles(roles: readonly string[]): Role[] {
  const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (roles.length === 0 || unknown.length > 0) {
    throw ValidationError.field(
      'role',
      `must be one or more of ${ROLES.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`,
    );
  }
  return ROLES.filter((role) => roles.includes(role));
}

function checkPassword(password: string): string {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw ValidationError.field('password', `must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`);
  }
  return password;
}

function toAccount(row: AccountRow): StaffAccount {
  return {
    user: row.user,
    name: row.name,
    roles: row.roles.split(',').filter(Boolean) as Role[],
    enabled: row.enabled === 1,
    mustChangePassword: row.must_change_password === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
