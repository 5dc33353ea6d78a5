import type { Role } from '../../../lambdas/core/auth/caller';

export type { Role };

/** The person signed in, as the API sees them. */
export interface User {
  id: string;
  name: string;
  roles: readonly Role[];
}

export function hasRole(user: User | undefined, ...roles: Role[]): boolean {
  return user?.roles.some((role) => roles.includes(role)) ?? false;
}
