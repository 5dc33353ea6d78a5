/**
 * What a van is to do, for its crew: every session of its tours in a period with the area names and the
 * script, for the calendar feed on the crew lead's phone and the printed route sheet.
 */
import { allPages } from '../all-pages.js';
import type { Deps } from '../deps.js';
import type { Van } from './tour-model.js';
import { tourScript } from './tour-use-cases.js';
import { tourSessions, type TourSession } from './tour-sessions.js';

export interface VanSession extends TourSession {
  stops: (TourSession['stops'][number] & { areaName: string })[];
  script: Awaited<ReturnType<typeof tourScript>>;
}

/** `van` as read by the caller's route: opened by its feed token, or seen by the caller (crew-access.ts). */
export async function vanSchedule(deps: Deps, van: Van, period: { from: Date; to: Date }): Promise<{ van: Van; sessions: VanSession[] }> {
  const tours = await allPages((page) => deps.tours.listTours({ vanId: van.id }, page));
  const sessions = await tourSessions(deps, tours, period);
  const areaCodes = new Set(sessions.flatMap((session) => session.stops.map((stop) => stop.areaCode)));
  const areaNames = new Map((await deps.audience.getAreas([...areaCodes])).map((area) => [area.code, area.name]));
  const scripts = new Map<string, VanSession['script']>();
  for (const { tour } of sessions) if (!scripts.has(tour.id)) scripts.set(tour.id, await tourScript(deps, tour.id));
  return {
    van,
    sessions: sessions.map((session) => ({
      ...session,
      stops: session.stops.map((stop) => ({ ...stop, areaName: areaNames.get(stop.areaCode) ?? stop.areaCode })),
      script: scripts.get(session.tour.id)!,
    })),
  };
}
