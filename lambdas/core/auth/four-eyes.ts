import { ConflictError, ForbiddenError } from '../errors.js';
import type { Caller } from './caller.js';

/** The second-person rule: whoever wrote or created a thing never approves or rejects it. */
export function requireSecondPerson(caller: Caller, authorId: string, what: string): void {
  if (caller.id === authorId) {
    throw new ForbiddenError(`${what} was written by ${authorId}; a second person must decide on it`);
  }
}

/**
 * A decision names the revision the approver looked at: a record that changed since is not decided
 * unseen (ConflictError, so the approver reloads and looks again).
 */
export function requireRevisionSeen(record: { revision: number }, revision: number, what: string): void {
  if (record.revision !== revision) {
    throw new ConflictError(`${what} is at revision ${record.revision}, not ${revision}: it changed since it was looked at`);
  }
}
