/**
 * `loa user add|reset|disable|enable|list`: staff accounts of the runtime that uses the same DATA_DIR,
 * also while it runs. A password made here is printed once, alone on standard output (so a script can
 * take it), and must be changed at the first sign-in; `--password-stdin` reads one instead.
 */
import { parseArgs } from 'node:util';
import { openSqliteStores } from '../../adapters/sqlite/sqlite-stores.js';
import { audit } from '../../core/audit/audit.js';
import { ROLES } from '../../core/auth/caller.js';
import { LoaError } from '../../core/errors.js';
import { storesIn, type Clock } from '../../core/ports.js';
import { ownerOnlyDatabase } from '../data-dir.js';
import { StaffAccounts, checkUserName, oneTimePassword } from './staff-accounts.js';
import { openStaffDatabase } from './staff-database.js';
import { StaffSessions } from './staff-sessions.js';

export const USER_USAGE = `  user add --user NAME --name "DISPLAY NAME" --role ROLE[,ROLE] [--password-stdin [--permanent]]
                                        add a staff account; prints a one-time password (roles: ${ROLES.join(', ')})
  user reset --user NAME [--password-stdin [--permanent]]
                                        a new one-time password; ends the user's sessions
  user disable --user NAME              refuse the account's sign-ins and end its sessions
  user enable --user NAME
  user list`;

const ACTOR = 'cli';
const clock: Clock = { now: () => new Date() };

interface Io {
  stdin: AsyncIterable<string | Buffer>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs the subcommand; the exit code is 2 for bad input, with the reason on standard error. */
export async function userCommand(args: string[], dataDir: string, io: Io): Promise<number> {
  const [action, ...rest] = args;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        user: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        permanent: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${USER_USAGE}\n`);
    return 2;
  }
  if (!['add', 'reset', 'disable', 'enable', 'list'].includes(action ?? '')) {
    io.stderr(`user needs one of add, reset, disable, enable, list\n${USER_USAGE}\n`);
    return 2;
  }
  if (action !== 'list' && typeof values.user !== 'string') {
    io.stderr(`user ${action} needs --user NAME\n`);
    return 2;
  }
  if (values.permanent && !values['password-stdin']) {
    io.stderr('--permanent applies only to a password read with --password-stdin\n');
    return 2;
  }

  const db = openStaffDatabase(dataDir);
  const store = openSqliteStores(ownerOnlyDatabase(dataDir, 'loa.db'));
  const accounts = new StaffAccounts(db, clock);
  const sessions = new StaffSessions(db, accounts, clock);
  const deps = { ...storesIn(store), clock };
  try {
    const user = action === 'list' ? '' : checkUserName(String(values.user));
    const password = async () => (values['password-stdin'] ? readPassword(io.stdin) : oneTimePassword());
    const temporary = !values.permanent;
    switch (action) {
      case 'add': {
        if (typeof values.name !== 'string' || typeof values.role !== 'string') {
          io.stderr('user add needs --name "DISPLAY NAME" and --role ROLE[,ROLE]\n');
          return 2;
        }
        const roles = values.role
          .split(',')
          .map((role) => role.trim())
          .filter(Boolean);
        const chosen = await password();
        const account = await accounts.add({ user, name: values.name, roles, password: chosen, temporary });
        await audit(deps, ACTOR, 'staff.account_added', user, { roles: account.roles });
        announce(io, `Added ${user} (${account.roles.join(', ')})`, values['password-stdin'] ? undefined : chosen, temporary);
        return 0;
      }
      case 'reset': {
        const chosen = await password();
        await accounts.setPassword(user, chosen, { temporary });
        const ended = sessions.endAllOf(user);
        await audit(deps, ACTOR, 'staff.password_reset', user, { sessionsEnded: ended });
        announce(io, `New password for ${user}; ${ended} session(s) ended`, values['password-stdin'] ? undefined : chosen, temporary);
        return 0;
      }
      case 'disable': {
        accounts.setEnabled(user, false);
        const ended = sessions.endAllOf(user);
        await audit(deps, ACTOR, 'staff.account_disabled', user, { sessionsEnded: ended });
        io.stderr(`Disabled ${user}; ${ended} session(s) ended\n`);
        return 0;
      }
      case 'enable': {
        accounts.setEnabled(user, true);
        await audit(deps, ACTOR, 'staff.account_enabled', user);
        io.stderr(`Enabled ${user}\n`);
        return 0;
      }
      default: {
        for (const account of accounts.list()) {
          const state = [account.enabled ? 'enabled' : 'disabled', ...(account.mustChangePassword ? ['temporary password'] : [])];
          io.stdout(`${account.user}\t${account.name}\t${account.roles.join(',')}\t${state.join(', ')}\n`);
        }
        return 0;
      }
    }
  } catch (error) {
    if (!(error instanceof LoaError)) throw error;
    io.stderr(`${error.message}\n`);
    return 2;
  } finally {
    store.close();
    db.close();
  }
}

function announce(io: Io, what: string, password: string | undefined, temporary: boolean): void {
  io.stderr(`${what}.${temporary ? ' The password must be changed at the first sign-in.' : ''}\n`);
  if (password !== undefined) io.stdout(`${password}\n`);
}

/** Standard input without its final line break. */
async function readPassword(stdin: AsyncIterable<string | Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
