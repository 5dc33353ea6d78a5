/**
 * A province of 1,000 residential areas (10 districts, 10 communes each, 10 areas each) and 100 vans,
 * van v touring the first five areas of commune v every morning at 07:00, during the week from Monday
 * 30 November 2026: so areas A0-A4 of each commune are heard and A5-A9 are not. Days 0 and 1 are
 * dispatched: even vans confirmed both runs whole; odd vans missed day 0 (first stop confirmed) and are
 * still out on day 1 (first two confirmed). One van in ten crashed between recording day 1's run and
 * moving its next start. Shared by the coverage test and its benchmark.
 */
import { DEFAULT_CONFIG } from '../../../lambdas/core/config.js';
import type { Area } from '../../../lambdas/core/model.js';
import type { Tour, TourRun } from '../../../lambdas/core/tours/tour-model.js';
import { planRun } from '../../../lambdas/core/tours/tour-rules.js';
import { tourRunId } from '../../../lambdas/core/tours/tour-sessions.js';
import { approvedTour, HCM, stop as stopFor } from './tour-fixture.js';

const DAY_MS = 86_400_000;
export const DISTRICTS = 10;
export const COMMUNES_PER_DISTRICT = 10;
export const AREAS_PER_COMMUNE = 10;
export const VANS = 100;
export const STOPS_PER_TOUR = 5;
export const DAYS = 7;
/** Days 0 and 1 are dispatched already; the tours' next start is day 2. */
export const DISPATCHED_DAYS = 2;

/** Monday 30 November 2026, 00:00 in Ho Chi Minh City (UTC+7), to the next Monday. */
export const WEEK = { from: new Date('2026-11-29T17:00:00Z'), to: new Date('2026-12-06T17:00:00Z') };
/** 07:00 local on day `n` (0 = Monday) of WEEK. */
export const morning = (n: number) => new Date(Date.parse('2026-11-30T00:00:00Z') + n * DAY_MS);
/** Every day at 07:00 in Ho Chi Minh City. */
export const DAILY = { expression: 'cron(0 7 * * ? *)', timezone: HCM };
/** A twenty-minute stop. */
export const stop = (areaCode: string) => stopFor(areaCode, 20);

/** An approved tour at 07:00 every day, next starting on day 0. */
export const dailyTour = (id: string, fields: Partial<Tour> = {}): Tour =>
  approvedTour(id, { schedule: DAILY, stops: [stop('A1')], nextFireAt: morning(0).toISOString(), ...fields });

/** The run dispatchTour would record for `of` at `startsAt`, with the areas the crew confirmed. */
export function tourRun(of: Tour, startsAt: Date, fields: Partial<TourRun> & { confirmedAreas?: string[] } = {}): TourRun {
  const { confirmedAreas = [], ...rest } = fields;
  const plan = planRun(of.stops, startsAt, DEFAULT_CONFIG.tours.rules.minutesBetweenAreas);
  return {
    tourId: of.id,
    runId: tourRunId(startsAt),
    vanId: of.vanId,
    ...plan,
    status: 'dispatched',
    crewCampaignId: `cmp_${of.id}_${tourRunId(startsAt)}`,
    confirmBy: new Date(Date.parse(plan.endsAt) + 2 * 3_600_000).toISOString(),
    confirmed: confirmedAreas.map((areaCode) => ({ areaCode, at: plan.endsAt, by: 'crew' })),
    notes: [],
    ...rest,
  };
}

export interface GeneratedProvince {
  /** The province, its districts and communes, and the residential areas, as registerAreas files them. */
  areas: Area[];
  residential: Area[];
  tours: Tour[];
  runs: TourRun[];
}

export function generatedProvince(): GeneratedProvince {
  const areas: Area[] = [{ code: 'DNI', name: 'Đồng Nai', path: 'DNI' }];
  const residential: Area[] = [];
  for (let d = 0; d < DISTRICTS; d++) {
    const district = `DNI-H${d}`;
    areas.push({ code: district, name: `Huyện ${d}`, parentCode: 'DNI', path: `DNI/${district}` });
    for (let c = 0; c < COMMUNES_PER_DISTRICT; c++) {
      const commune = `${district}-X${c}`;
      areas.push({ code: commune, name: `Xã ${d}.${c}`, parentCode: district, path: `DNI/${district}/${commune}` });
      for (let a = 0; a < AREAS_PER_COMMUNE; a++) {
        const code = `${commune}-A${a}`;
        const area = { code, name: `Ấp ${a}`, parentCode: commune, path: `DNI/${district}/${commune}/${code}` };
        areas.push(area);
        residential.push(area);
      }
    }
  }
  const tours = Array.from({ length: VANS }, (_, v) =>
    dailyTour(`tour-${String(v).padStart(3, '0')}`, {
      vanId: `van-${v}`,
      stops: residential.slice(v * AREAS_PER_COMMUNE, v * AREAS_PER_COMMUNE + STOPS_PER_TOUR).map((area) => stop(area.code)),
      nextFireAt: morning(v % 10 === 0 ? DISPATCHED_DAYS - 1 : DISPATCHED_DAYS).toISOString(),
      runCount: DISPATCHED_DAYS,
    }),
  );
  const runs = tours.flatMap((t, v) => {
    const codes = t.stops.map((s) => s.areaCode);
    return v % 2 === 0
      ? [
          tourRun(t, morning(0), { status: 'completed', confirmedAreas: codes }),
          tourRun(t, morning(1), { status: 'completed', confirmedAreas: codes }),
        ]
      : [
          tourRun(t, morning(0), { status: 'missed', confirmedAreas: codes.slice(0, 1) }),
          tourRun(t, morning(1), { confirmedAreas: codes.slice(0, 2) }),
        ];
  });
  return { areas, residential, tours, runs };
}
