import type { Role } from '../auth/user';

/** The left rail (bottom bar on a phone): each part of the console and the roles it is for. */
export interface NavItem {
  path: string;
  /** Key in the common namespace: nav.<key>. */
  key: string;
  roles: readonly Role[];
  /** Among the four shown in the phone's bottom bar. */
  primary?: boolean;
}

export const NAVIGATION: readonly NavItem[] = [
  { path: '/', key: 'home', roles: ['author', 'approver', 'operator', 'viewer'], primary: true },
  { path: '/templates', key: 'templates', roles: ['author', 'approver'], primary: true },
  { path: '/subscribers', key: 'subscribers', roles: ['operator'] },
  { path: '/segments', key: 'segments', roles: ['author', 'operator'] },
  { path: '/campaigns', key: 'campaigns', roles: ['author', 'approver', 'operator', 'viewer'], primary: true },
  { path: '/vans', key: 'vans', roles: ['operator', 'author', 'approver'], primary: true },
  { path: '/coverage', key: 'coverage', roles: ['operator', 'viewer'] },
  { path: '/gateways', key: 'gateways', roles: ['operator', 'viewer'] },
  { path: '/audit', key: 'audit', roles: ['operator', 'viewer', 'approver'] },
  { path: '/today', key: 'today', roles: ['crew'], primary: true },
];
