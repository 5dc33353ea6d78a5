/**
 * A tour's sessions in a period: the runs already dispatched (with what the crew confirmed) and, for an
 * approved tour, the starts still to come, planned the way they will be dispatched. Coverage, calendars and
 * route sheets all read tours through this, so they agree on what is planned.
 */
import type { Deps } from '../deps.js';
import type { PlannedStop, Tour, TourRun } from './tour-model.js';
import { planRun, startsExpander } from './tour-rules.js';

export interface TourSession {
  tour: Tour;
  startsAt: string;
  endsAt: string;
  stops: PlannedStop[];
  /** Absent for a start not dispatched yet. */
  run?: TourRun;
}

/** From the start time, so a start dispatched twice is one run. */
export function tourRunId(startsAt: Date): string {
  return `run_${startsAt.toISOString().replace(/[-:.]/g, '')}`;
}

/** Sessions of `tours` starting in [from, to), in start order. */
export async function tourSessions(
  deps: Pick<Deps, 'tours' | 'config'>,
  tours: Tour[],
  period: { from: Date; to: Date },
): Promise<TourSession[]> {
  const byId = new Map(tours.map((tour) => [tour.id, tour]));
  const runs = (await deps.tours.tourRunsBetween(period.from.toISOString(), period.to.toISOString())).filter((run) => byId.has(run.tourId));
  const sessions: TourSession[] = runs.map((run) => ({
    tour: byId.get(run.tourId)!,
    startsAt: run.startsAt,
    endsAt: run.endsAt,
    stops: run.stops,
    run,
  }));
  const minutesBetweenAreas = deps.config.tours.rules.minutesBetweenAreas;
  for (const { tour, start } of upcomingStarts(tours, period, runs))
    sessions.push({ tour, ...planRun(tour.stops, start, minutesBetweenAreas) });
  return sessions.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

/**
 * The starts in [from, to) of the approved tours among `tours`, from each one's next start on, that are
 * not among the `dispatched` runs (a start dispatched is its run: same runId).
 */
export function upcomingStarts(tours: Tour[], period: { from: Date; to: Date }, dispatched: TourRun[]): { tour: Tour; start: Date }[] {
  const done = new Set(dispatched.map((run) => `${run.tourId} ${run.runId}`));
  const startsOf = startsExpander(period.from, period.to);
  const upcoming: { tour: Tour; start: Date }[] = [];
  for (const tour of tours) {
    if (tour.status !== 'approved' || !tour.nextFireAt) continue;
    const first = Date.parse(tour.nextFireAt);
    for (const start of startsOf(tour)) {
      const at = new Date(start);
      if (start >= first && !done.has(`${tour.id} ${tourRunId(at)}`)) upcoming.push({ tour, start: at });
    }
  }
  return upcoming;
}
