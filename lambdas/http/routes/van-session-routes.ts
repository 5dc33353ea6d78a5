/**
 * A van's sessions as data, for the console: the crew lead's "today" on a phone and the operators' week of
 * tours. The same sessions the calendar feed and the printed route sheet show (core/tours/van-schedule.ts).
 */
import { z } from 'zod';
import { addDays, localTime } from '../../core/time/local-time.js';
import { visibleVan } from '../../core/tours/crew-access.js';
import { vanSchedule, type VanSession } from '../../core/tours/van-schedule.js';
import { ALL_ROLES, ok, route } from '../route.js';
import { instantOf } from './period-query.js';

const MAX_DAYS = 14;

const plannedStop = z.object({
  areaCode: z.string(),
  areaName: z.string(),
  minutes: z.number().int(),
  startsAt: z.string().describe('ISO 8601, UTC'),
  endsAt: z.string(),
  confirmedAt: z.string().optional().describe('When the crew confirmed this stop done'),
});

const vanSession = z.object({
  tourId: z.string(),
  tourName: z.string(),
  priority: z.enum(['normal', 'emergency']),
  tourStatus: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  stops: z.array(plannedStop),
  run: z
    .object({
      runId: z.string(),
      status: z.enum(['dispatched', 'completed', 'missed', 'cancelled']),
      confirmBy: z.string(),
      notes: z.array(z.object({ at: z.string(), by: z.string(), text: z.string() })),
    })
    .optional()
    .describe('Absent for a start not dispatched yet'),
  script: z.object({
    title: z.string(),
    code: z.string(),
    text: z.string(),
    repetitionsPerStop: z.number().int(),
    readingSeconds: z.number(),
  }),
});

const vanSessions = z.object({
  vanId: z.string(),
  plate: z.string(),
  kind: z.enum(['van', 'motorbike']),
  crewLeadName: z.string(),
  from: z.string().describe('The first local day, YYYY-MM-DD'),
  days: z.number().int(),
  sessions: z.array(vanSession),
});

export const vanSessionRoutes = [
  route({
    method: 'GET',
    path: '/v1/vans/{id}/sessions',
    summary: "A van's tour sessions for some local days: stops with times and area names, the script, what the crew confirmed",
    description: 'A crew user sees only the vans it is bound to: another van is 404.',
    tag: 'vans',
    access: ALL_ROLES,
    query: z.object({
      from: z.iso.date().optional().describe('The first local day; defaults to today'),
      days: z.coerce.number().int().min(1).max(MAX_DAYS).default(1),
    }),
    responses: { 200: { description: 'The sessions in start order', schema: vanSessions } },
    handle: async ({ deps, caller, params, query }) => {
      const { timezone } = deps.config;
      const from = query.from ?? localTime(deps.clock.now(), timezone).day;
      const until = addDays(from, query.days);
      const period = { from: instantOf(from, timezone), to: instantOf(until, timezone) };
      const { van, sessions } = await vanSchedule(deps, await visibleVan(deps, caller, params.id!), period);
      return ok({
        vanId: van.id,
        plate: van.plate,
        kind: van.kind,
        crewLeadName: van.crewLead.name,
        from,
        days: query.days,
        sessions: sessions.map(sessionView),
      } satisfies z.input<typeof vanSessions>);
    },
  }),
];

function sessionView(session: VanSession): z.input<typeof vanSession> {
  const confirmed = new Map(session.run?.confirmed.map((entry) => [entry.areaCode, entry.at]));
  const { title, code, text, repetitionsPerStop, readingSeconds } = session.script;
  return {
    tourId: session.tour.id,
    tourName: session.tour.name,
    priority: session.tour.priority,
    tourStatus: session.tour.status,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    stops: session.stops.map((stop) => ({
      areaCode: stop.areaCode,
      areaName: stop.areaName,
      minutes: stop.minutes,
      startsAt: stop.startsAt,
      endsAt: stop.endsAt,
      ...(confirmed.has(stop.areaCode) && { confirmedAt: confirmed.get(stop.areaCode)! }),
    })),
    ...(session.run && {
      run: { runId: session.run.runId, status: session.run.status, confirmBy: session.run.confirmBy, notes: session.run.notes },
    }),
    script: { title, code, text, repetitionsPerStop, readingSeconds },
  };
}
