/**
 * One staff account per role for `npm start -- --demo`, named like the people of the demo data (hai leads
 * the crew of van 60A-123.45). Every start gives them new random passwords, not temporary ones, which the
 * start-up banner prints, so a newcomer can sign in at once and a password printed last time is void.
 */
import { audit } from '../../core/audit/audit.js';
import type { Role } from '../../core/auth/caller.js';
import type { Deps } from '../../core/deps.js';
import { oneTimePassword, type StaffAccounts } from './staff-accounts.js';

export const DEMO_ACCOUNTS: readonly { user: string; name: string; role: Role }[] = [
  { user: 'lan', name: 'Nguyễn Thị Lan', role: 'author' },
  { user: 'minh', name: 'Trần Văn Minh', role: 'approver' },
  { user: 'hoa', name: 'Lê Thị Hoa', role: 'operator' },
  { user: 'tuan', name: 'Phạm Minh Tuấn', role: 'viewer' },
  { user: 'hai', name: 'Nguyễn Văn Hải', role: 'crew' },
];

export interface DemoSignIn {
  user: string;
  role: Role;
  password: string;
}

export async function seedDemoAccounts(accounts: StaffAccounts, deps: Pick<Deps, 'audit' | 'clock'>): Promise<DemoSignIn[]> {
  const signIns: DemoSignIn[] = [];
  for (const { user, name, role } of DEMO_ACCOUNTS) {
    const password = oneTimePassword();
    if (accounts.get(user)) {
      accounts.setProfile(user, { name, roles: [role] });
      accounts.setEnabled(user, true);
      await accounts.setPassword(user, password, { temporary: false });
      await audit(deps, 'demo', 'staff.password_reset', user);
    } else {
      await accounts.add({ user, name, roles: [role], password, temporary: false });
      await audit(deps, 'demo', 'staff.account_added', user, { roles: [role] });
    }
    signIns.push({ user, role, password });
  }
  return signIns;
}

/** The banner's table: user, role and password, one account a line. */
export function demoAccountsTable(signIns: readonly DemoSignIn[]): string {
  const width = (pick: (row: DemoSignIn) => string, title: string) => Math.max(title.length, ...signIns.map((row) => pick(row).length));
  const userWidth = width((row) => row.user, 'user');
  const roleWidth = width((row) => row.role, 'role');
  const line = (user: string, role: string, password: string) => `  ${user.padEnd(userWidth)}  ${role.padEnd(roleWidth)}  ${password}`;
  return [line('user', 'role', 'password'), ...signIns.map((row) => line(row.user, row.role, row.password))].join('\n');
}
