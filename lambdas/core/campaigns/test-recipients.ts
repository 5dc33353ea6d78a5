import type { Deps } from '../deps.js';
import type { Recipient } from '../ports.js';
import { carrierFromPrefix } from '../subscribers/carriers.js';

/** Who a test campaign reaches: the configured test numbers that have not opted out. */
export async function testRecipients(deps: Pick<Deps, 'store' | 'config'>): Promise<Recipient[]> {
  const recipients: Recipient[] = [];
  for (const phone of deps.config.testNumbers) {
    if (await deps.store.getOptOut(phone)) continue;
    const carrier = (await deps.store.getSubscriber(phone))?.carrier ?? carrierFromPrefix(phone);
    recipients.push({ phone, ...(carrier && { carrier }) });
  }
  return recipients;
}
