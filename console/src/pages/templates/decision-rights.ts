/**
 * Who may decide on a template version: an approver, on a version waiting for a decision, that they did
 * not write (four eyes). The API refuses the rest; the console does not offer them.
 */
import { hasRole, type User } from '../../auth/user';

export type DecisionRight = 'may-decide' | 'own-version' | 'not-approver' | 'not-pending';

export function decisionRight(user: User, version: { status: string; author: string }): DecisionRight {
  if (version.status !== 'pending_approval') return 'not-pending';
  if (!hasRole(user, 'approver')) return 'not-approver';
  if (version.author === user.id) return 'own-version';
  return 'may-decide';
}
