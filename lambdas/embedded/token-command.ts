/**
 * `loa token --user NAME --role ROLE[,ROLE] [--hours H]` mints a bearer token for the runtime that uses
 * the same DATA_DIR and prints it alone on standard output (so a script can take it), its id on standard
 * error; `loa token revoke ID` revokes one, also while the runtime runs. Both go to the audit log with the
 * token's id, user, roles and expiry, never the token.
 */
import { parseArgs } from 'node:util';
import { openSqliteStores } from '../adapters/sqlite/sqlite-stores.js';
import { audit } from '../core/audit/audit.js';
import { ROLES, type Role } from '../core/auth/caller.js';
import { storesIn, type Clock } from '../core/ports.js';
import { ownerOnlyDatabase } from './data-dir.js';
import { openStaffDatabase } from './staff/staff-database.js';
import { TokenRegistry } from './token-registry.js';
import { loadOrCreateSigningKey, longestLifetimeSeconds, mintToken } from './tokens.js';

export const TOKEN_USAGE = `  token --user NAME --role ROLE[,ROLE] [--hours H]
                                        print a bearer token (roles: ${ROLES.join(', ')}); its id goes to standard error
  token revoke ID                       refuse the token with this id from now on`;

const ACTOR = 'cli';
const clock: Clock = { now: () => new Date() };

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs the subcommand; the exit code is 2 for bad input, with the reason on standard error. */
export async function tokenCommand(args: string[], dataDir: string, io: Io): Promise<number> {
  if (args[0] === 'revoke') return revoke(args.slice(1), dataDir, io);
  let values: { user?: string; role?: string; hours: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { user: { type: 'string' }, role: { type: 'string' }, hours: { type: 'string', default: '12' } },
    }));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${TOKEN_USAGE}\n`);
    return 2;
  }
  const roles = (values.role ?? '').split(',').map((role) => role.trim());
  const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (!values.user || unknown.length > 0 || roles.length === 0) {
    io.stderr(`token needs --user and --role from: ${ROLES.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}\n`);
    return 2;
  }
  const hours = Number(values.hours);
  const longestHours = longestLifetimeSeconds(roles as Role[]) / 3_600;
  if (!Number.isFinite(hours) || hours <= 0 || hours > longestHours) {
    io.stderr(`--hours must be a positive number, at most ${longestHours} for ${roles.join(', ')}\n`);
    return 2;
  }

  const key = await loadOrCreateSigningKey(dataDir);
  const minted = await mintToken(key, { user: values.user, roles: roles as Role[], ttlSeconds: Math.round(hours * 3600) }, clock.now());
  await withRegistry(dataDir, async (registry, deps) => {
    registry.register({ id: minted.id, user: values.user!, roles: roles as Role[], expiresAt: minted.expiresAt });
    await audit(deps, ACTOR, 'token.issued', minted.id, { user: values.user, roles, expiresAt: minted.expiresAt.toISOString() });
  });
  io.stdout(`${minted.token}\n`);
  io.stderr(
    `Token ${minted.id} for ${values.user} (${roles.join(', ')}), valid until ${minted.expiresAt.toISOString()}; ` +
      `revoke it with: npm run loa -- token revoke ${minted.id}\n`,
  );
  return 0;
}

async function revoke(args: string[], dataDir: string, io: Io): Promise<number> {
  const [id, ...extra] = args;
  if (id === undefined || extra.length > 0) {
    io.stderr(`token revoke needs one token id (printed when the token was made)\n${TOKEN_USAGE}\n`);
    return 2;
  }
  return withRegistry(dataDir, async (registry, deps) => {
    const outcome = registry.revoke(id);
    if ('unknown' in outcome) {
      io.stderr(`No token ${id} that is still valid was made with this data folder (${dataDir})\n`);
      return 2;
    }
    if ('alreadyRevoked' in outcome) {
      io.stderr(`Token ${id} was already revoked\n`);
      return 0;
    }
    const { user, roles, expiresAt } = outcome.revoked;
    await audit(deps, ACTOR, 'token.revoked', id, { user, roles, expiresAt: expiresAt.toISOString() });
    io.stderr(`Revoked token ${id} of ${user} (${roles.join(', ')}); the running server refuses it within a second\n`);
    return 0;
  });
}

async function withRegistry<T>(
  dataDir: string,
  use: (registry: TokenRegistry, deps: Parameters<typeof audit>[0]) => Promise<T>,
): Promise<T> {
  const db = openStaffDatabase(dataDir);
  const store = openSqliteStores(ownerOnlyDatabase(dataDir, 'loa.db'));
  try {
    return await use(new TokenRegistry(db, clock), { ...storesIn(store), clock });
  } finally {
    store.close();
    db.close();
  }
}
