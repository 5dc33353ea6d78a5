import { SYSTEM_ACTOR } from '../audit/audit.js';
import type { Deps } from '../deps.js';
import type { OptOut } from '../model.js';

/** The source of an opt-out given back to a number that opted out, was erased, and came back in an import. */
export const ERASED_OPT_OUT_SOURCE = 'opted out before being erased';

/**
 * An erased number that had opted out is kept only as its pseudonym's opt-out: when an import brings the
 * number back, its opt-out is recorded again under the number, before the subscriber is written, so no
 * campaign reaches it in between. Returns the numbers that got their opt-out back.
 */
export async function restoreErasedOptOuts(deps: Pick<Deps, 'audience' | 'clock' | 'pseudonymizer'>, phones: string[]): Promise<string[]> {
  const pseudonyms = new Map(await Promise.all(phones.map(async (phone) => [await deps.pseudonymizer.pseudonym(phone), phone] as const)));
  const erasedOptOuts = await deps.audience.optedOutAmong([...pseudonyms.keys()]);
  const at = deps.clock.now().toISOString();
  const restored: string[] = [];
  for (const pseudonym of erasedOptOuts) {
    const phone = pseudonyms.get(pseudonym)!;
    const optOut: OptOut = { phone, source: ERASED_OPT_OUT_SOURCE, by: SYSTEM_ACTOR, at };
    await deps.audience.addOptOut(optOut);
    restored.push(phone);
  }
  return restored;
}
