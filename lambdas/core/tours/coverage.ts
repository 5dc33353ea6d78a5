/**
 * Loudspeaker coverage of a period (GET /v1/coverage?from=&to=): per residential area, the broadcasts
 * planned, confirmed by the crews and missed, and the residential areas that hear none.
 *
 * - A residential area is a leaf area: one that is no other area's parent. Every area is read (the store's
 *   area list, page by page) and the leaves kept. Quiet areas (hospitals, schools) are listed, marked
 *   `quiet`, but never as uncovered: normal tours pass them by on purpose, and listing them every time
 *   would hide the areas truly left out.
 * - A broadcast is one stop of one tour run in an area. A run that stops twice in an area is two broadcasts
 *   there. Stops in an area that is not residential (a commune, a district) or not known are not counted.
 * - Planned: the stops of every run that started in [from, to), whatever its status and whatever its tour's
 *   status now (a one-time tour is completed or missed once run, a cancelled tour keeps its past runs), plus
 *   the stops of the starts still to come of approved tours: their starts from max(from, nextFireAt) to `to`.
 *   A start already dispatched is its run (same runId, from the start time, as dispatchTour records it), so
 *   it counts once. Tours not approved yet (draft, pending approval) plan nothing.
 * - Confirmed: the stops of those runs in an area the crew confirmed (a run records each area once).
 * - Missed: the stops of runs whose status is 'missed', in an area the crew did not confirm.
 *
 * The runs are counted as they are read rather than through tourSessions: it keeps only the runs of the
 * tours it is given, and coverage counts runs whose tour no longer plans anything. The starts to come are
 * upcomingStarts, as for calendars and route sheets, so they all agree.
 *
 * `areas` lists every residential area in path order, `uncovered` those with nothing planned (quiet ones
 * aside), also in path order. A period must end after it starts and last at most 31 days.
 */
import { allPages } from '../all-pages.js';
import type { Deps } from '../deps.js';
import { ValidationError } from '../errors.js';
import { upcomingStarts } from './tour-sessions.js';

export interface AreaCoverage {
  code: string;
  name: string;
  path: string;
  planned: number;
  confirmed: number;
  missed: number;
  quiet?: true;
}

export interface Coverage {
  from: string;
  to: string;
  areas: AreaCoverage[];
  uncovered: { code: string; name: string; path: string }[];
}

/** The longest period coverage is asked for: a month. */
export const MAX_COVERAGE_DAYS = 31;
const DAY_MS = 86_400_000;

/** The province's residential areas (or those `within` an area: a district, a commune) over the period. */
export async function tourCoverage(
  deps: Pick<Deps, 'audience' | 'tours' | 'config'>,
  period: { from: Date; to: Date },
  within?: string,
): Promise<Coverage> {
  const from = period.from.getTime();
  const to = period.to.getTime();
  // Written so that an invalid date fails here too, rather than as a RangeError further on.
  if (!(to > from)) throw ValidationError.field('to', 'must be after from');
  if (to - from > MAX_COVERAGE_DAYS * DAY_MS) throw ValidationError.field('to', `the period may last at most ${MAX_COVERAGE_DAYS} days`);
  const fromIso = period.from.toISOString();
  const toIso = period.to.toISOString();

  const [areas, runs, tours] = await Promise.all([
    allPages((page) => deps.audience.listAreas(page)),
    deps.tours.tourRunsBetween(fromIso, toIso),
    deps.tours.plannedTours(),
  ]);

  const parents = new Set(areas.flatMap((area) => (area.parentCode ? [area.parentCode] : [])));
  const scope = within === undefined ? undefined : areas.find((area) => area.code === within);
  if (within !== undefined && !scope) throw ValidationError.field('within', `unknown area ${within}`);
  const residential = areas
    .filter((area) => !parents.has(area.code) && (!scope || area.path === scope.path || area.path.startsWith(`${scope.path}/`)))
    .sort((a, b) => compare(a.path, b.path));
  const counts = new Map<string, AreaCoverage>(
    residential.map((area) => [
      area.code,
      {
        code: area.code,
        name: area.name,
        path: area.path,
        planned: 0,
        confirmed: 0,
        missed: 0,
        ...(area.quiet && { quiet: true as const }),
      },
    ]),
  );

  for (const run of runs) {
    const confirmed = new Set(run.confirmed.map((stop) => stop.areaCode));
    for (const stop of run.stops) {
      const area = counts.get(stop.areaCode);
      if (!area) continue;
      area.planned++;
      if (confirmed.has(stop.areaCode)) area.confirmed++;
      else if (run.status === 'missed') area.missed++;
    }
  }
  for (const { tour } of upcomingStarts(tours, period, runs)) {
    for (const stop of tour.stops) {
      const area = counts.get(stop.areaCode);
      if (area) area.planned++;
    }
  }

  const covered = [...counts.values()];
  return {
    from: fromIso,
    to: toIso,
    areas: covered,
    uncovered: covered.filter((area) => area.planned === 0 && !area.quiet).map(({ code, name, path }) => ({ code, name, path })),
  };
}

/** Plain code-unit order: the same on every machine, whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
