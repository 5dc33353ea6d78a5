import type { Deps } from '../deps.js';
import { newId } from '../ids.js';

/** The actor of what Loa does by itself, on a schedule: runs started and finished, tours dispatched or missed. */
export const SYSTEM_ACTOR = 'loa';

/** Appends one entry to the append-only audit log: who did what to which subject, and when. */
export async function audit(
  deps: Pick<Deps, 'audit' | 'clock'>,
  actor: string,
  action: string,
  subject: string,
  details?: Record<string, unknown>,
): Promise<void> {
  const now = deps.clock.now();
  await deps.audit.appendAudit([{ id: newId('aud', now), at: now.toISOString(), actor, action, subject, ...(details && { details }) }]);
}
