/**
 * Phone numbers in what the API returns: whole only to the roles whose work needs the number, masked
 * (+8491****678, maskPhone) to the others. Which view shows a number whole to whom:
 * - opt-outs, receipts (list and CSV): operators, who act on them (remove an opt-out, chase a failed delivery);
 * - a van's crew lead: operators, who call the crew, and the crew bound to that van;
 * - a campaign's listed recipients (test numbers, a tour's crew lead): operators, who run campaigns.
 */
import type { Caller, Role } from '../../core/auth/caller.js';
import { maskPhone } from '../../core/subscribers/phone-number.js';
import { hasAnyRole } from '../caller-from-claims.js';

export const PHONE_WHOLE_FOR = {
  optOuts: ['operator'],
  receipts: ['operator'],
  crewLead: ['operator'],
  campaignRecipients: ['operator'],
} as const satisfies Record<string, readonly Role[]>;

/** `phone` whole when the caller holds one of `wholeFor`, else masked. */
export function phoneFor(caller: Caller, phone: string, wholeFor: readonly Role[]): string {
  return hasAnyRole(caller, wholeFor) ? phone : maskPhone(phone);
}

/** `item` with its `phone` shown as `phoneFor` decides. */
function withPhoneFor<T extends { phone: string }>(caller: Caller, item: T, wholeFor: readonly Role[]): T {
  return { ...item, phone: phoneFor(caller, item.phone, wholeFor) };
}

/** A page with each item's `phone` shown as `phoneFor` decides. */
export function pageWithPhonesFor<T extends { phone: string }>(
  caller: Caller,
  page: { items: T[]; nextCursor?: string },
  wholeFor: readonly Role[],
): { items: T[]; nextCursor?: string } {
  return { ...page, items: page.items.map((item) => withPhoneFor(caller, item, wholeFor)) };
}

/** A campaign with its listed recipients (a tour's crew lead) shown as `phoneFor` decides. */
export function withRecipientsFor<T extends { recipients?: string[] }>(caller: Caller, campaign: T): T {
  if (!campaign.recipients) return campaign;
  return { ...campaign, recipients: campaign.recipients.map((phone) => phoneFor(caller, phone, PHONE_WHOLE_FOR.campaignRecipients)) };
}
