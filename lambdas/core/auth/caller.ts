export const ROLES = ['author', 'approver', 'operator', 'viewer', 'integration'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: taken from the JWT claims (Cognito groups or a `roles` claim). */
export interface Caller {
  id: string;
  roles: readonly Role[];
}
