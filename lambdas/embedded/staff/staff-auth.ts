/**
 * Staff sign-in for the embedded runtime, assembled over the data folder: the accounts, sessions and
 * minted tokens in DATA_DIR/staff.db, the /v1/session routes, and the cookie check the HTTP server makes.
 */
import type { Deps } from '../../core/deps.js';
import type { Route } from '../../http/route.js';
import { TokenRegistry } from '../token-registry.js';
import { cookieSessions, type CookieSessions } from './cookie-sessions.js';
import type { ScryptCost } from './password-hash.js';
import { sessionRoutes } from './session-routes.js';
import { StaffAccounts } from './staff-accounts.js';
import { openStaffDatabase } from './staff-database.js';
import { StaffSessions } from './staff-sessions.js';
import { StaffSignIn } from './sign-in.js';

export interface StaffAuth {
  accounts: StaffAccounts;
  routes: Route[];
  cookieSessions: CookieSessions;
  /** The bearer tokens `loa token` minted, to refuse those it revoked. */
  tokens: TokenRegistry;
  close(): void;
}

export function openStaffAuth(
  dataDir: string,
  deps: Pick<Deps, 'audit' | 'clock'>,
  options: { alwaysHttps: boolean; cost?: ScryptCost },
): StaffAuth {
  const db = openStaffDatabase(dataDir);
  const accounts = new StaffAccounts(db, deps.clock, options.cost);
  const sessions = new StaffSessions(db, accounts, deps.clock);
  const signIn = new StaffSignIn(accounts, sessions, deps);
  return {
    accounts,
    routes: sessionRoutes(signIn, options),
    cookieSessions: cookieSessions(signIn, options),
    tokens: new TokenRegistry(db, deps.clock),
    close: () => db.close(),
  };
}
