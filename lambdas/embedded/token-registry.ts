/**
 * The bearer tokens `loa token` has minted, by id, and which of them are revoked, in the staff database
 * (DATA_DIR/staff.db) that the CLI and the running server share. The token itself is never kept: its id,
 * user, roles and expiry are enough to revoke it and to say what was revoked. A row outlives its token by
 * nothing: rows of expired tokens are deleted at the next mint.
 *
 * The server asks at every request whether a token is revoked; it reads the revoked ids again at most once
 * a second, so a revocation by the CLI applies within a second without a query per request.
 */
import type { Database } from 'better-sqlite3';
import type { Role } from '../core/auth/caller.js';
import type { Clock } from '../core/ports.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    roles TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
`;

/** How stale the server's list of revoked ids may be. */
const REVOCATION_REFRESH_MS = 1_000;

export interface RegisteredToken {
  id: string;
  user: string;
  roles: Role[];
  expiresAt: Date;
  revokedAt?: Date;
}

interface TokenRow {
  id: string;
  user: string;
  roles: string;
  expires_at: number;
  revoked_at: number | null;
}

export type Revocation = { revoked: RegisteredToken } | { alreadyRevoked: RegisteredToken } | { unknown: true };

export class TokenRegistry {
  private revoked = new Set<string>();
  private readAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    db.exec(SCHEMA);
  }

  register(token: Omit<RegisteredToken, 'revokedAt'>): void {
    const now = this.clock.now().getTime();
    this.db.prepare('DELETE FROM tokens WHERE expires_at <= ?').run(now);
    this.db
      .prepare('INSERT INTO tokens (id, user, roles, expires_at) VALUES (?, ?, ?, ?)')
      .run(token.id, token.user, token.roles.join(','), token.expiresAt.getTime());
  }

  /** Revokes the token with this id, if this data folder minted it and it has not expired. */
  revoke(id: string): Revocation {
    const row = this.db.prepare('SELECT * FROM tokens WHERE id = ? AND expires_at > ?').get(id, this.clock.now().getTime()) as
      | TokenRow
      | undefined;
    if (!row) return { unknown: true };
    if (row.revoked_at !== null) return { alreadyRevoked: fromRow(row) };
    const revokedAt = this.clock.now().getTime();
    this.db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ?').run(revokedAt, id);
    return { revoked: fromRow({ ...row, revoked_at: revokedAt }) };
  }

  isRevoked(id: string): boolean {
    const now = this.clock.now().getTime();
    if (now - this.readAt >= REVOCATION_REFRESH_MS) {
      const rows = this.db.prepare('SELECT id FROM tokens WHERE revoked_at IS NOT NULL AND expires_at > ?').all(now) as { id: string }[];
      this.revoked = new Set(rows.map((row) => row.id));
      this.readAt = now;
    }
    return this.revoked.has(id);
  }
}

function fromRow(row: TokenRow): RegisteredToken {
  return {
    id: row.id,
    user: row.user,
    roles: row.roles.split(',').filter(Boolean) as Role[],
    expiresAt: new Date(row.expires_at),
    ...(row.revoked_at !== null && { revokedAt: new Date(row.revoked_at) }),
  };
}
