/**
 * Loudspeaker-van tours: the vans and motorbikes (xe loa) that read approved announcements in residential
 * areas, the tours planned for them, and what each tour run was confirmed to have done.
 */
import type { CampaignSchedule, Priority, Review } from '../model.js';

export interface Van {
  id: string;
  /** Licence plate, e.g. 60A-123.45. */
  plate: string;
  kind: 'van' | 'motorbike';
  crewLead: { name: string; phone: string };
  /** The area code of the commune the van is based in. */
  homeCommune: string;
  status: 'active' | 'maintenance';
  /**
   * Secret part of the van's calendar feed URL: a phone's calendar app subscribes with a URL and cannot
   * send a bearer token.
   */
  feedToken: string;
  /**
   * The staff users (crew role) an operator bound to this van: they see its tours and confirm its stops,
   * and no other van's. Absent on vans registered before binding existed: nobody is bound.
   */
  crewUsers?: string[];
  createdBy: string;
  createdAt: string;
  revision: number;
}

export interface TourStop {
  areaCode: string;
  /** Minutes planned broadcasting in the area. */
  minutes: number;
}

export const TourStatus = {
  draft: 'draft',
  pendingApproval: 'pending_approval',
  approved: 'approved',
  dispatched: 'dispatched',
  completed: 'completed',
  missed: 'missed',
  cancelled: 'cancelled',
} as const;
export type TourStatus = (typeof TourStatus)[keyof typeof TourStatus];

/** Tours that may still broadcast: the coverage plans with them and the stores list them. */
export const PLANNED_TOUR_STATUSES: readonly TourStatus[] = [TourStatus.pendingApproval, TourStatus.approved, TourStatus.dispatched];

export interface Tour extends Review {
  id: string;
  name: string;
  vanId: string;
  /** An approved template version on the loudspeaker channel. */
  scriptId: string;
  scriptVersion: number;
  /** at() for a one-time tour; rate() or cron() for a recurring one. The time is the tour's start. */
  schedule: CampaignSchedule;
  /** In route order; quiet areas are already left out of a normal tour (see `warnings`). */
  stops: TourStop[];
  priority: Priority;
  status: TourStatus;
  /** What the soft rules found: skipped quiet areas and the like. */
  warnings: string[];
  createdBy: string;
  createdAt: string;
  /** The next start the scheduler must dispatch; absent once none is due. */
  nextFireAt?: string;
  runCount: number;
  revision: number;
}

/** One broadcast session of a stop, at its planned local time. */
export interface PlannedStop extends TourStop {
  startsAt: string;
  endsAt: string;
}

/** A tour's run at one of its starts: what the crew was told, and what it confirmed. */
export interface TourRun {
  tourId: string;
  /** From the start time, so a start dispatched twice is one run. */
  runId: string;
  vanId: string;
  startsAt: string;
  endsAt: string;
  stops: PlannedStop[];
  /** `cancelled`: the tour was called off while this run was under way. */
  status: 'dispatched' | 'completed' | 'missed' | 'cancelled';
  /** The campaign that carried the crew lead's SMS (its receipt says whether it arrived). */
  crewCampaignId: string;
  /** Unconfirmed after this, the run is missed. */
  confirmBy: string;
  confirmed: { areaCode: string; at: string; by: string }[];
  notes: { at: string; by: string; text: string }[];
}
