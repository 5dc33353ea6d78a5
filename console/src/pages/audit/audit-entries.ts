/** How audit entries are named and linked in the console. */

/** The actions the core records, grouped as staff think of them, for the "what" list. */
export const AUDIT_ACTIONS = [
  'template.created',
  'template.submitted',
  'template.approved',
  'template.rejected',
  'campaign.created',
  'campaign.submit',
  'campaign.approve',
  'campaign.reject',
  'campaign.pause',
  'campaign.resume',
  'campaign.cancel',
  'segment.created',
  'subscribers.imported',
  'opt_out.added',
  'opt_out.removed',
  'areas.registered',
  'van.created',
  'van.status_changed',
  'tour.created',
  'tour.submitted',
  'tour.approved',
  'tour.rejected',
  'tour.cancelled',
  'tour.dispatched',
  'tour.confirmed',
  'tour.missed',
  'staff.signed_in',
  'staff.signed_out',
  'staff.locked_out',
  'staff.password_changed',
  'staff.account_added',
  'staff.account_disabled',
  'staff.account_enabled',
  'staff.password_reset',
  'token.issued',
  'token.revoked',
] as const;

const PAGES: Record<string, string> = { tpl: '/templates', cmp: '/campaigns', seg: '/segments' };

/** The console page of an audit entry's subject, when it has one (templates, campaigns, segments). */
export function subjectPath(subject: string): string | undefined {
  const prefix = /^([a-z]+)_/.exec(subject)?.[1];
  const base = prefix === undefined ? undefined : PAGES[prefix];
  return base && `${base}/${encodeURIComponent(subject)}`;
}
