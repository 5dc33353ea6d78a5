/**
 * The filters of the lists staff look at to find what waits on them: things in some statuses, made by one
 * person or by anyone but them (an approver never decides on their own work), and audit entries by who,
 * what and when. Each store applies them itself; a filtered page may hold fewer items than asked (a
 * DynamoDB page stops after a bounded read) and then carries a nextCursor to go on from.
 */
import type { CampaignStatus, TemplateStatus } from './model.js';
import type { TourStatus } from './tours/tour-model.js';

/** Whose records: `createdBy` only theirs, `notCreatedBy` everyone's but theirs. */
export interface CreatorFilter {
  createdBy?: string;
  notCreatedBy?: string;
}

/** An empty or absent `statuses` means any status. */
export interface CampaignFilter extends CreatorFilter {
  statuses?: CampaignStatus[];
}

export interface TourFilter extends CreatorFilter {
  vanId?: string;
  status?: TourStatus;
}

/** Versions in some statuses; the creator of a version is its `author`. */
export interface TemplateVersionFilter extends CreatorFilter {
  statuses: TemplateStatus[];
}

/** Exact matches; `from` inclusive and `to` exclusive, ISO 8601 UTC. */
export interface AuditFilter {
  actor?: string;
  action?: string;
  subject?: string;
  from?: string;
  to?: string;
}

export function isFiltered(filter: object): boolean {
  return Object.values(filter).some((value) => value !== undefined && (!Array.isArray(value) || value.length > 0));
}
