/**
 * Signed-in sessions. The browser holds a random 32-byte id in a cookie; the database holds only its
 * SHA-256, so a copy of the file opens no session. A session ends after 30 minutes without a request
 * (each request moves that limit on) and 12 hours after sign-in at the latest, at sign-out, and when its
 * account is disabled. The account is read at every request, so a change of roles applies at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../../core/ports.js';
import type { StaffAccounts, StaffAccount } from './staff-accounts.js';

const SESSION_IDLE_MS = 30 * 60_000;
const SESSION_MAX_MS = 12 * 60 * 60_000;
const SESSION_ID_BYTES = 32;

export interface ActiveSession {
  account: StaffAccount;
  /** When it ends unless used again before. */
  expiresAt: Date;
}

interface SessionRow {
  user: string;
  created_at: number;
  last_seen_at: number;
}

export class StaffSessions {
  constructor(
    private readonly db: Database,
    private readonly accounts: StaffAccounts,
    private readonly clock: Clock,
  ) {}

  /** Opens a session for `user` and returns its id, the secret the cookie carries. */
  start(user: string): string {
    const now = this.clock.now().getTime();
    this.db.prepare('DELETE FROM sessions WHERE last_seen_at <= ? OR created_at <= ?').run(now - SESSION_IDLE_MS, now - SESSION_MAX_MS);
    const id = randomBytes(SESSION_ID_BYTES).toString('base64url');
    this.db
      .prepare('INSERT INTO sessions (token_hash, user, created_at, last_seen_at) VALUES (?, ?, ?, ?)')
      .run(hashOf(id), user, now, now);
    return id;
  }

  /** The live session with this id, its idle limit moved on; undefined when unknown, expired or disabled. */
  use(id: string): ActiveSession | undefined {
    const tokenHash = hashOf(id);
    const row = this.db.prepare('SELECT user, created_at, last_seen_at FROM sessions WHERE token_hash = ?').get(tokenHash) as
      | SessionRow
      | undefined;
    if (!row) return undefined;
    const now = this.clock.now().getTime();
    const account = this.accounts.get(row.user);
    if (now - row.last_seen_at >= SESSION_IDLE_MS || now - row.created_at >= SESSION_MAX_MS || !account?.enabled) {
      this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
      return undefined;
    }
    this.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?').run(now, tokenHash);
    return { account, expiresAt: new Date(Math.min(now + SESSION_IDLE_MS, row.created_at + SESSION_MAX_MS)) };
  }

  /** Ends the session; returns the user it belonged to, if it existed. */
  end(id: string): string | undefined {
    const row = this.db.prepare('DELETE FROM sessions WHERE token_hash = ? RETURNING user').get(hashOf(id)) as { user: string } | undefined;
    return row?.user;
  }

  /** Ends every session of `user`; returns how many there were. */
  endAllOf(user: string): number {
    return this.db.prepare('DELETE FROM sessions WHERE user = ?').run(user).changes;
  }
}

function hashOf(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}
