import type { Area, OptOut, Page, PageRequest, ResolvedSegmentFilter, Segment, SegmentCounts, Subscriber } from '../model.js';
import type { Recipient } from '../ports.js';

/** Where the audience is kept: the areas, the subscribers, who opted out, and the segments that pick among them. */
export interface AudienceStore {
  /** Inserts or renames areas; paths are computed by the caller. */
  putAreas(areas: Area[]): Promise<void>;
  getAreas(codes: string[]): Promise<Area[]>;
  /** In code order. */
  listAreas(page: PageRequest): Promise<Page<Area>>;

  /** Upserts by phone and says how many were new and how many replaced an existing subscriber. */
  upsertSubscribers(subscribers: Subscriber[]): Promise<{ inserted: number; updated: number }>;
  getSubscriber(phone: string): Promise<Subscriber | undefined>;

  /** False when the number had already opted out (the first record is kept). */
  addOptOut(optOut: OptOut): Promise<boolean>;
  /** False when the number had not opted out. */
  removeOptOut(phone: string): Promise<boolean>;
  getOptOut(phone: string): Promise<OptOut | undefined>;
  /** In phone order. */
  listOptOuts(page: PageRequest): Promise<Page<OptOut>>;
  /** Those of `phones` (numbers or pseudonyms) that have an opt-out. */
  optedOutAmong(phones: string[]): Promise<Set<string>>;
  /**
   * Deletes the subscriber and its opt-out; an opt-out is kept under `pseudonym` instead (with the first
   * record's source and time). Says what there was.
   */
  eraseSubscriber(phone: string, pseudonym: string): Promise<{ subscriber: boolean; optedOut: boolean }>;

  insertSegment(segment: Segment): Promise<void>;
  getSegment(id: string): Promise<Segment | undefined>;
  /** In creation order. */
  listSegments(page: PageRequest): Promise<Page<Segment>>;
  /** Counts of matching subscribers that have not opted out. */
  countRecipients(filter: ResolvedSegmentFilter): Promise<SegmentCounts>;
  /**
   * The next `limit` matching subscribers that have not opted out, in a stable order, after `cursor`
   * (undefined: from the start). `cursor` in the result is undefined when the walk is over.
   */
  nextRecipients(
    filter: ResolvedSegmentFilter,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ recipients: Recipient[]; cursor: string | undefined }>;
}
