import type { Caller } from '../auth/caller.js';
import { audit } from '../audit/audit.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import type { OptOut, Page, PageRequest } from '../model.js';
import { maskPhone, requirePhone } from '../subscribers/phone-number.js';

type OptOutDeps = Pick<Deps, 'audience' | 'audit' | 'clock'>;

/** Records that a number wants no more messages; every campaign, emergency included, respects it. */
export async function addOptOut(
  deps: OptOutDeps,
  caller: Caller,
  input: { phone: string; source: string },
): Promise<{ optOut: OptOut; created: boolean }> {
  const phone = requirePhone(input.phone);
  const optOut: OptOut = { phone, source: input.source, by: caller.id, at: deps.clock.now().toISOString() };
  const created = await deps.audience.addOptOut(optOut);
  if (created) await audit(deps, caller.id, 'opt_out.added', maskPhone(phone), { source: input.source });
  return { optOut: created ? optOut : ((await deps.audience.getOptOut(phone)) ?? optOut), created };
}

/** Also withdraws the opt-out an erasure kept under the number's pseudonym, which an import would restore. */
export async function removeOptOut(deps: OptOutDeps & Pick<Deps, 'pseudonymizer'>, caller: Caller, phoneInput: string): Promise<void> {
  const phone = requirePhone(phoneInput);
  const removed = await deps.audience.removeOptOut(phone);
  const removedErased = await deps.audience.removeOptOut(await deps.pseudonymizer.pseudonym(phone));
  if (!removed && !removedErased) throw new NotFoundError(`${maskPhone(phone)} has not opted out`);
  await audit(deps, caller.id, 'opt_out.removed', maskPhone(phone));
}

export async function listOptOuts(deps: OptOutDeps, page: PageRequest): Promise<Page<OptOut>> {
  return deps.audience.listOptOuts(page);
}
