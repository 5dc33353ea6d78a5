/**
 * Signing staff in and out. Before a password is checked, attempts are limited per client address and per
 * user name (10 a minute each, 429), and a user name locks for 15 minutes after 5 failures in a row (423),
 * whether or not the account exists, so neither answer tells an attacker which names are real. A wrong
 * user name and a wrong password get the same 401. A new password ends the user's other sessions.
 * Sign-ins, sign-outs, password changes and lock-outs go to the audit log, never with a password.
 */
import { audit } from '../../core/audit/audit.js';
import type { Deps } from '../../core/deps.js';
import { ValidationError } from '../../core/errors.js';
import { ProblemError } from '../../http/problem.js';
import { FailureLockout, SlidingWindowLimit } from './attempt-limits.js';
import type { StaffAccounts } from './staff-accounts.js';
import type { ActiveSession, StaffSessions } from './staff-sessions.js';

const ATTEMPTS_PER_MINUTE_PER_ADDRESS = 10;
const ATTEMPTS_PER_MINUTE_PER_USER = 10;
const FAILURES_BEFORE_LOCK = 5;
const LOCK_MS = 15 * 60_000;

export interface SignInInput {
  user: string;
  password: string;
  /** Replaces the password; required when the current one is temporary. */
  newPassword?: string;
}

export class StaffSignIn {
  private readonly perAddress: SlidingWindowLimit;
  private readonly perUser: SlidingWindowLimit;
  private readonly lockout: FailureLockout;

  constructor(
    private readonly accounts: StaffAccounts,
    private readonly sessions: StaffSessions,
    private readonly deps: Pick<Deps, 'audit' | 'clock'>,
  ) {
    this.perAddress = new SlidingWindowLimit(ATTEMPTS_PER_MINUTE_PER_ADDRESS, 60_000, deps.clock);
    this.perUser = new SlidingWindowLimit(ATTEMPTS_PER_MINUTE_PER_USER, 60_000, deps.clock);
    this.lockout = new FailureLockout(FAILURES_BEFORE_LOCK, LOCK_MS, deps.clock);
  }

  /** A new session for the account; throws the problem to answer otherwise. */
  async signIn(input: SignInInput, sourceIp = 'unknown'): Promise<{ sessionId: string; session: ActiveSession }> {
    const user = input.user.trim().toLowerCase();
    for (const limit of [this.perAddress.take(sourceIp), this.perUser.take(user)]) {
      if (!limit.allowed) throw tooMany('Too many sign-in attempts; wait a minute and try again', limit.retryAfterMs);
    }
    const lockedForMs = this.lockout.lockedForMs(user);
    if (lockedForMs > 0) throw locked(lockedForMs);

    const account = await this.accounts.checkPassword(user, input.password);
    if (!account) {
      if (this.lockout.failed(user)) {
        await audit(this.deps, user, 'staff.locked_out', user, { minutes: LOCK_MS / 60_000 });
        throw locked(LOCK_MS);
      }
      throw new ProblemError('unauthenticated', 'The user name or the password is wrong');
    }
    this.lockout.succeeded(user);
    if (!account.enabled) throw new ProblemError('forbidden', 'This account is disabled; ask the administrator to enable it');
    if (input.newPassword === undefined && account.mustChangePassword) {
      throw new ProblemError('password-change-required', 'The password is temporary: sign in again with a new password (newPassword)');
    }
    if (input.newPassword !== undefined) {
      if (input.newPassword === input.password) throw ValidationError.field('newPassword', 'must differ from the current password');
      await this.accounts.setPassword(user, input.newPassword, { temporary: false });
      const ended = this.sessions.endAllOf(user);
      await audit(this.deps, user, 'staff.password_changed', user, { sessionsEnded: ended });
    }
    const sessionId = this.sessions.start(user);
    const session = this.sessions.use(sessionId)!;
    // The roles the session acts with; its id is its secret, so it stays out of the log.
    await audit(this.deps, user, 'staff.signed_in', user, { roles: session.account.roles });
    return { sessionId, session };
  }

  /** The live session with this id, moving its idle limit on. */
  current(sessionId: string): ActiveSession | undefined {
    return this.sessions.use(sessionId);
  }

  async signOut(sessionId: string): Promise<void> {
    const user = this.sessions.end(sessionId);
    if (user !== undefined) await audit(this.deps, user, 'staff.signed_out', user);
  }
}

function tooMany(detail: string, retryAfterMs: number): ProblemError {
  return new ProblemError('too-many-requests', detail, { headers: { 'retry-after': seconds(retryAfterMs) } });
}

function locked(forMs: number): ProblemError {
  const minutes = Math.ceil(forMs / 60_000);
  return new ProblemError(
    'account-locked',
    `Too many failed sign-ins: this account is locked for ${minutes} more minute${minutes === 1 ? '' : 's'}`,
    {
      headers: { 'retry-after': seconds(forMs) },
    },
  );
}

function seconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
