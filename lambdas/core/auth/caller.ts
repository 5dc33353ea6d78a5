/** `crew`: a loudspeaker van's crew, who read the tour's script and confirm the stops done. */
export const ROLES = ['author', 'approver', 'operator', 'viewer', 'integration', 'crew'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: taken from the JWT claims (Cognito groups or a `roles` claim). */
export interface Caller {
  id: string;
  /** The display name, when the identity carries one (a `name` claim): for people to read, never to decide. */
  name?: string;
  roles: readonly Role[];
}
