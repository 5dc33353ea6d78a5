/**
 * The audit log's filters as staff set them (who, what, which subject, from one day to another) as the
 * API's query. The API reads a day as from its midnight in the deployment's time zone and `to` as
 * exclusive, so "to 05/12/2026" asks up to the 6th: the whole of the last day is in.
 */
export interface AuditFilterForm {
  actor: string;
  action: string;
  subject: string;
  /** yyyy-mm-dd, as a date input gives it; '' for no bound. */
  fromDay: string;
  toDay: string;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  subject?: string;
  from?: string;
  to?: string;
}

export const NO_FILTER: AuditFilterForm = { actor: '', action: '', subject: '', fromDay: '', toDay: '' };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayAfter(day: string): string | undefined {
  const match = DAY.exec(day);
  if (!match) return undefined;
  // Date.UTC rolls the 32nd over into the next month, and the 29th of a short February into March.
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1)).toISOString().slice(0, 10);
}

export function auditQuery(form: AuditFilterForm): AuditQuery {
  const to = dayAfter(form.toDay);
  return {
    ...(form.actor.trim() && { actor: form.actor.trim() }),
    ...(form.action && { action: form.action }),
    ...(form.subject.trim() && { subject: form.subject.trim() }),
    ...(DAY.test(form.fromDay) && { from: form.fromDay }),
    ...(to && { to }),
  };
}

/** The "to" day is before the "from" day: nothing could match, so the form says so instead of asking. */
export function daysReversed(form: AuditFilterForm): boolean {
  return DAY.test(form.fromDay) && DAY.test(form.toDay) && form.toDay < form.fromDay;
}
