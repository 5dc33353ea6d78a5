import { z } from 'zod';
import type { Caller } from '../../core/auth/caller.js';
import { addDays, localTime } from '../../core/time/local-time.js';
import type { Van } from '../../core/tours/tour-model.js';
import { vanSchedule, type VanSession } from '../../core/tours/van-schedule.js';
import { isBoundTo, visibleVan } from '../../core/tours/crew-access.js';
import { createVan, listVans, setVanCrew, setVanStatus, vanForFeed } from '../../core/tours/van-use-cases.js';
import { hasAnyRole } from '../caller-from-claims.js';
import { routeSheetHtml, type RouteSheetEntry } from '../tours/route-sheet.js';
import { vanCalendar, type CalendarEntry } from '../tours/van-calendar.js';
import { ALL_ROLES, created, name, ok, okText, pageQuery, route, stateChange } from '../route.js';
import { PHONE_WHOLE_FOR, phoneFor } from '../views/phone-views.js';
import { vanView as vanSchema, vanWithWarningsView } from '../views/van-views.js';
import { pageOf } from '../views/view-fields.js';
import { areaCode } from './area-routes.js';
import { instantOf } from './period-query.js';

const TAG = 'vans';
const VIEW = { description: 'The van; for operators with `calendarPath`, the secret address of its calendar feed', schema: vanSchema };
const WITH_WARNINGS = { description: 'The van, with `warnings` naming the tours it still has', schema: vanWithWarningsView };
const DAY_MS = 86_400_000;
/** The feed shows a fortnight back, for the crew's record, and two months ahead. */
const CALENDAR_DAYS_BACK = 14;
const CALENDAR_DAYS_AHEAD = 60;

/**
 * The feed token is a secret that operators hand to the crew lead; nobody else sees it, nor who is bound
 * to the van. The crew lead's number is whole to operators and to the van's own crew (phone-views.ts).
 */
function vanView(van: Van, caller: Caller) {
  const { feedToken, crewUsers, ...view } = van;
  const ownCrew = isBoundTo(caller, van);
  const crewLead = {
    ...van.crewLead,
    phone: ownCrew ? van.crewLead.phone : phoneFor(caller, van.crewLead.phone, PHONE_WHOLE_FOR.crewLead),
  };
  if (!hasAnyRole(caller, ['operator'])) return { ...view, crewLead };
  return {
    ...view,
    crewLead,
    crewUsers: crewUsers ?? [],
    calendarPath: `/v1/vans/${encodeURIComponent(van.id)}/calendar.ics?token=${feedToken}`,
  };
}

function calendarEntry(session: VanSession): CalendarEntry {
  return {
    tour: session.tour,
    scriptTitle: session.script.title,
    scriptCode: session.script.code,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    stops: session.stops,
  };
}

function routeSheetEntry(session: VanSession): RouteSheetEntry {
  const { text, repetitionsPerStop, readingSeconds } = session.script;
  return { ...calendarEntry(session), scriptText: text, repetitionsPerStop, readingSeconds };
}

export const vanRoutes = [
  route({
    method: 'POST',
    path: '/v1/vans',
    summary: 'Register a loudspeaker van or motorbike with its crew lead',
    tag: TAG,
    access: ['operator'],
    body: z.strictObject({
      plate: z.string().trim().min(1).max(20).describe('Licence plate, e.g. 60A-123.45'),
      kind: z.enum(['van', 'motorbike']),
      crewLead: z.strictObject({ name, phone: z.string().min(1).max(20).describe('Gets the route by SMS at each start') }),
      homeCommune: areaCode.describe('The area code of the commune the van is based in'),
    }),
    idempotent: true,
    responses: { 201: VIEW },
    handle: async ({ deps, caller, body }) => created(vanView(await createVan(deps, caller, body), caller)),
  }),
  route({
    method: 'GET',
    path: '/v1/vans',
    summary: 'List vans',
    tag: TAG,
    access: ALL_ROLES,
    query: pageQuery,
    responses: { 200: { description: 'A page of vans', schema: pageOf(vanSchema) } },
    handle: async ({ deps, caller, query }) => {
      const page = await listVans(deps, caller, query);
      return ok({ ...page, items: page.items.map((van) => vanView(van, caller)) });
    },
  }),
  route({
    method: 'GET',
    path: '/v1/vans/{id}',
    summary: 'A van; to a crew user only a van it is bound to',
    tag: TAG,
    access: ALL_ROLES,
    responses: { 200: VIEW },
    handle: async ({ deps, caller, params }) => ok(vanView(await visibleVan(deps, caller, params.id!), caller)),
  }),
  route({
    method: 'POST',
    path: '/v1/vans/{id}/crew',
    summary: "Bind the van's crew: exactly these staff users (crew role) see its tours and confirm its stops",
    tag: TAG,
    access: ['operator'],
    body: z.strictObject({
      users: z
        .array(z.string().trim().min(1).max(128).describe('A staff user id (the sign-in name)'))
        .max(20)
        .describe('Replaces the bound crew; [] unbinds everyone'),
    }),
    idempotent: true,
    responses: { 200: VIEW },
    handle: async ({ deps, caller, params, body }) => ok(vanView(await setVanCrew(deps, caller, params.id!, body.users), caller)),
  }),
  stateChange({
    path: '/v1/vans/{id}/maintenance',
    summary: 'Take a van off the road: it gets no new tours, and `warnings` names the tours it still has',
    tag: TAG,
    access: ['operator'],
    view: WITH_WARNINGS,
    run: async (deps, caller, id) => vanView(await setVanStatus(deps, caller, id, 'maintenance'), caller),
  }),
  stateChange({
    path: '/v1/vans/{id}/activate',
    summary: 'Put a van back on the road',
    tag: TAG,
    access: ['operator'],
    view: WITH_WARNINGS,
    run: async (deps, caller, id) => vanView(await setVanStatus(deps, caller, id, 'active'), caller),
  }),
  route({
    method: 'GET',
    path: '/v1/vans/{id}/calendar.ics',
    summary: "The van's tours as an iCalendar feed for the crew's phone; opened by the van's feed token, not a login",
    tag: TAG,
    access: 'public',
    query: z.object({ token: z.string().min(1).max(200).describe("From the van's calendarPath") }),
    responses: { 200: { description: 'iCalendar: a fortnight back and two months ahead', mediaType: 'text/calendar' } },
    handle: async ({ deps, params, query }) => {
      const van = await vanForFeed(deps, params.id!, query.token);
      const now = deps.clock.now();
      const period = {
        from: new Date(now.getTime() - CALENDAR_DAYS_BACK * DAY_MS),
        to: new Date(now.getTime() + CALENDAR_DAYS_AHEAD * DAY_MS),
      };
      const { sessions } = await vanSchedule(deps, van, period);
      // Links on the configured address only: a Host header is the client's to forge, and the feed is public.
      const { timezone, publicUrl } = deps.config;
      const feed = vanCalendar(van, sessions.map(calendarEntry), { timezone, now, ...(publicUrl && { baseUrl: publicUrl }) });
      return okText(feed, 'text/calendar; charset=utf-8');
    },
  }),
  route({
    method: 'GET',
    path: '/v1/vans/{id}/route-sheet',
    summary: "A van's printable route sheet for one day: stops, times and the script",
    tag: TAG,
    access: ALL_ROLES,
    query: z.object({ date: z.iso.date().optional().describe('The local day; defaults to today') }),
    responses: { 200: { description: 'A printable page', mediaType: 'text/html' } },
    handle: async ({ deps, caller, params, query }) => {
      const { timezone } = deps.config;
      const date = query.date ?? localTime(deps.clock.now(), timezone).day;
      const nextDay = addDays(date, 1);
      const period = { from: instantOf(date, timezone), to: instantOf(nextDay, timezone) };
      const { van, sessions } = await vanSchedule(deps, await visibleVan(deps, caller, params.id!), period);
      return okText(routeSheetHtml(van, date, sessions.map(routeSheetEntry), { timezone }), 'text/html; charset=utf-8');
    },
  }),
];
