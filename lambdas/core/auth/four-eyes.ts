import { ForbiddenError } from '../errors.js';
import type { Caller } from './caller.js';

/** The second-person rule: whoever wrote or created a thing never approves or rejects it. */
export function requireSecondPerson(caller: Caller, authorId: string, what: string): void {
  if (caller.id === authorId) {
    throw new ForbiddenError(`${what} was written by ${authorId}; a second person must decide on it`);
  }
}
