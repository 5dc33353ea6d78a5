import type { TourFilter } from '../list-filters.js';
import type { Page, PageRequest } from '../model.js';
import type { Tour, TourRun, Van } from './tour-model.js';

/** Where vans, tours and tour runs are kept; part of the Store (SQLite and DynamoDB pass one contract). */
export interface TourStore {
  /** ConflictError when a van with this id exists. */
  insertVan(van: Van): Promise<void>;
  getVan(id: string): Promise<Van | undefined>;
  /** Writes `van` only if the stored revision is `van.revision - 1`; else ConflictError. */
  updateVan(van: Van): Promise<void>;
  /** In creation order. */
  listVans(page: PageRequest): Promise<Page<Van>>;

  /** ConflictError when a tour with this id exists. */
  insertTour(tour: Tour): Promise<void>;
  getTour(id: string): Promise<Tour | undefined>;
  /** Writes `tour` only if the stored revision is `tour.revision - 1`; else ConflictError. */
  updateTour(tour: Tour): Promise<void>;
  /** In creation order, optionally of one van, in one status, or by or not by one person. */
  listTours(filter: TourFilter, page: PageRequest): Promise<Page<Tour>>;
  /** Tours that may still broadcast: pending_approval, approved or dispatched, in any order. */
  plannedTours(): Promise<Tour[]>;
  /** Approved tours whose nextFireAt is at or before `now`. */
  toursDue(now: string, limit: number): Promise<Tour[]>;

  /** False when the run exists: a start dispatched twice is one run. */
  insertTourRun(run: TourRun): Promise<boolean>;
  getTourRun(tourId: string, runId: string): Promise<TourRun | undefined>;
  saveTourRun(run: TourRun): Promise<void>;
  /** A tour's runs, latest start first. */
  listTourRuns(tourId: string, page: PageRequest): Promise<Page<TourRun>>;
  /** Runs starting in [from, to), in any order. */
  tourRunsBetween(from: string, to: string): Promise<TourRun[]>;
  /** Runs still `dispatched` whose confirmBy is at or before `now`. */
  overdueTourRuns(now: string): Promise<TourRun[]>;
}
