import type { Deps } from '../deps.js';
import type { Recipient } from '../ports.js';
import { carrierFromPrefix } from '../subscribers/carriers.js';

/**
 * Who a campaign sent to a list of numbers (the test numbers, a tour's crew lead) reaches: those that
 * have not opted out (before or after being erased), with their carrier (and area, for those who are subscribers).
 */
export async function listedRecipients(deps: Pick<Deps, 'audience' | 'pseudonymizer'>, phones: readonly string[]): Promise<Recipient[]> {
  const recipients: Recipient[] = [];
  for (const phone of phones) {
    // An erased number's opt-out is kept only under its pseudonym.
    const optedOut = await deps.audience.optedOutAmong([phone, await deps.pseudonymizer.pseudonym(phone)]);
    if (optedOut.size > 0) continue;
    const subscriber = await deps.audience.getSubscriber(phone);
    const carrier = subscriber?.carrier ?? carrierFromPrefix(phone);
    recipients.push({ phone, ...(carrier && { carrier }), ...(subscriber && { areaCode: subscriber.areaCode }) });
  }
  return recipients;
}

/** The numbers a campaign goes to instead of its segment, if any. */
export function listedPhones(
  campaign: { test: boolean; recipients?: string[] },
  testNumbers: readonly string[],
): readonly string[] | undefined {
  return campaign.recipients ?? (campaign.test ? testNumbers : undefined);
}
