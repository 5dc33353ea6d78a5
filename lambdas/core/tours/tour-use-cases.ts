/**
 * A tour's life: written (draft), submitted, approved by a second person, dispatched at each start (the
 * crew lead gets the route by SMS), confirmed stop by stop by the crew, or missed when nobody confirms.
 * The rules (tour-rules.ts) are checked at every step that commits to a plan: create, submit, approve.
 */
import { allPages } from '../all-pages.js';
import { audit, SYSTEM_ACTOR } from '../audit/audit.js';
import { approvalHash } from '../auth/approval-hash.js';
import type { Caller } from '../auth/caller.js';
import { requireRevisionSeen, requireSecondPerson } from '../auth/four-eyes.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import type { TourFilter } from '../list-filters.js';
import { CampaignStatus, type Area, type Campaign, type Page, type PageRequest, type Priority, type TemplateVersion } from '../model.js';
import { isRecurring, parseSchedule } from '../schedules/schedule-expression.js';
import { inScheduleFields } from '../schedules/schedule-fields.js';
import { approvedVersion } from '../templates/template-use-cases.js';
import { stripDiacritics } from '../templates/diacritics.js';
import { countSmsParts } from '../templates/sms-parts.js';
import { localTime } from '../time/local-time.js';
import { readingSeconds } from './reading-time.js';
import { TourStatus, type Tour, type TourRun, type TourStop, type Van } from './tour-model.js';
import { requireStopsStarted, visibleTour } from './crew-access.js';
import { checkTour, nextTourStart, planRun, type TourCheck } from './tour-rules.js';
import { tourRunId } from './tour-sessions.js';
import { requireVan } from './van-use-cases.js';

const SCRIPT_FIELDS = { id: 'scriptId', version: 'scriptVersion' };

export interface NewTour {
  name: string;
  vanId: string;
  scriptId: string;
  scriptVersion: number;
  schedule: { expression: string; timezone?: string };
  stops: TourStop[];
  priority: Priority;
}

export async function createTour(deps: Deps, caller: Caller, input: NewTour): Promise<Tour> {
  const { draft, script } = await draftTour(deps, caller, input);
  const tour = await checked(deps, draft, script);
  await deps.tours.insertTour(tour);
  await audit(deps, caller.id, 'tour.created', tour.id, { vanId: tour.vanId, warnings: tour.warnings });
  return tour;
}

export type TourPlanCheck = TourCheck & { firstRun?: ReturnType<typeof planRun> };

/**
 * The rule checks of a tour being planned, as creating it would make them, without saving anything: the
 * problems that would refuse it and the warnings it would carry, in the rules' own words, and the times
 * of its first run. Input that names nothing (an unknown van, area or script) is refused as on create.
 */
export async function checkTourPlan(deps: Deps, caller: Caller, input: NewTour): Promise<TourPlanCheck> {
  const { draft, script } = await draftTour(deps, caller, input);
  const result = await ruleCheck(deps, draft, script);
  const start = nextTourStart(draft, deps.clock.now());
  return { ...result, ...(start && { firstRun: planRun(result.stops, start, deps.config.tours.rules.minutesBetweenAreas) }) };
}

/** The tour that `input` describes, checked field by field but not yet against the rules. */
async function draftTour(deps: Deps, caller: Caller, input: NewTour): Promise<{ draft: Tour; script: TemplateVersion }> {
  const van = await deps.tours.getVan(input.vanId);
  if (!van) throw ValidationError.field('vanId', `no van ${input.vanId}`);
  requireOnTheRoad(van);
  const script = await approvedVersion(deps, input.scriptId, input.scriptVersion, 'loudspeaker', SCRIPT_FIELDS);
  const schedule = { expression: input.schedule.expression, timezone: input.schedule.timezone ?? deps.config.timezone };
  inScheduleFields(() => parseSchedule(schedule.expression, schedule.timezone));
  await requireAreas(deps, input.stops);

  const now = deps.clock.now();
  const draft: Tour = {
    id: newId('tour', now),
    name: input.name,
    vanId: van.id,
    scriptId: input.scriptId,
    scriptVersion: input.scriptVersion,
    schedule,
    stops: input.stops,
    priority: input.priority,
    status: TourStatus.draft,
    warnings: [],
    createdBy: caller.id,
    createdAt: now.toISOString(),
    runCount: 0,
    revision: 1,
  };
  return { draft, script };
}

export async function submitTour(deps: Deps, caller: Caller, id: string): Promise<Tour> {
  const tour = await requireStatus(deps, id, [TourStatus.draft], 'submitted');
  const submitted = { ...(await checked(deps, tour)), status: TourStatus.pendingApproval, submittedAt: deps.clock.now().toISOString() };
  return save(deps, caller, submitted, 'tour.submitted');
}

/**
 * A second person approves the revision they looked at; the rules are checked once more against what was
 * approved meanwhile, and a route they would now change is not approved unseen. The approval records the
 * hash of the tour with the script text it reads.
 */
export async function approveTour(deps: Deps, caller: Caller, id: string, revision: number): Promise<Tour> {
  const tour = await requireStatus(deps, id, [TourStatus.pendingApproval], 'approved');
  requireRevisionSeen(tour, revision, `Tour ${id}`);
  requireSecondPerson(caller, tour.createdBy, `Tour ${id}`);
  requireOnTheRoad(await requireVan(deps, tour.vanId));
  const now = deps.clock.now();
  const script = await approvedVersion(deps, tour.scriptId, tour.scriptVersion, 'loudspeaker', SCRIPT_FIELDS);
  const rechecked = await checked(deps, tour, script);
  if (canonicalStops(rechecked) !== canonicalStops(tour)) {
    throw new ConflictError(
      `The rules now change tour ${id}'s route (${rechecked.warnings.join('; ')}): reject it, and its author submits it again as it now is`,
    );
  }
  const approvedHash = approvalHash(tourApprovedContent(rechecked, script));
  const decided = { ...rechecked, decidedBy: caller.id, decidedAt: now.toISOString(), approvedHash };
  const first = nextTourStart(decided, now);
  if (!first) throw new ConflictError(`Tour ${id} has no start after now (${tour.schedule.expression})`);
  const approved = await save(deps, caller, { ...decided, status: TourStatus.approved, nextFireAt: first.toISOString() }, 'tour.approved', {
    revision,
    approvedHash,
  });
  await deps.scheduler.tourScheduled(approved);
  return approved;
}

/**
 * Exactly what approving a tour decides, as its approval hash covers it: the van, the route, when, how
 * urgently, and the script with the text the crew will read.
 */
export function tourApprovedContent(tour: Tour, script: TemplateVersion) {
  return {
    id: tour.id,
    name: tour.name,
    vanId: tour.vanId,
    stops: tour.stops.map(({ areaCode, minutes }) => ({ areaCode, minutes })),
    schedule: tour.schedule,
    priority: tour.priority,
    script: { id: tour.scriptId, version: tour.scriptVersion, body: script.body, repetitionsPerStop: script.repetitionsPerStop },
  };
}

export async function rejectTour(deps: Deps, caller: Caller, id: string, reason: string, revision: number): Promise<Tour> {
  const tour = await requireStatus(deps, id, [TourStatus.pendingApproval], 'rejected');
  requireRevisionSeen(tour, revision, `Tour ${id}`);
  requireSecondPerson(caller, tour.createdBy, `Tour ${id}`);
  const rejected = {
    ...tour,
    status: TourStatus.draft,
    rejectionReason: reason,
    decidedBy: caller.id,
    decidedAt: deps.clock.now().toISOString(),
  };
  return save(deps, caller, rejected, 'tour.rejected', { reason, revision });
}

export async function cancelTour(deps: Deps, caller: Caller, id: string): Promise<Tour> {
  const tour = await requireStatus(
    deps,
    id,
    [TourStatus.draft, TourStatus.pendingApproval, TourStatus.approved, TourStatus.dispatched],
    'cancelled',
  );
  const { nextFireAt: _, ...rest } = tour;
  const cancelled = await save(deps, caller, { ...rest, status: TourStatus.cancelled }, 'tour.cancelled');
  await deps.scheduler.tourUnscheduled(id);
  // A run under way is called off with its tour: its crew is not chased for the stops it no longer makes.
  for (const run of await allPages((page) => deps.tours.listTourRuns(id, page))) {
    if (run.status === 'dispatched') await deps.tours.saveTourRun({ ...run, status: 'cancelled' });
  }
  return cancelled;
}

export async function getTour(deps: Deps, id: string): Promise<Tour> {
  const tour = await deps.tours.getTour(id);
  if (!tour) throw new NotFoundError(`No tour ${id}`);
  return tour;
}

export async function listTours(deps: Deps, filter: TourFilter, page: PageRequest): Promise<Page<Tour>> {
  return deps.tours.listTours(filter, page);
}

/** The tour's runs, latest first: what each crew was told and confirmed, and which were missed. */
export async function listTourRuns(deps: Deps, id: string, page: PageRequest): Promise<Page<TourRun>> {
  await getTour(deps, id);
  return deps.tours.listTourRuns(id, page);
}

/** What the crew reads out, for the crew's phone. */
export async function tourScript(deps: Deps, id: string) {
  const tour = await getTour(deps, id);
  const template = await deps.templates.getTemplate(tour.scriptId);
  const version = await approvedVersion(deps, tour.scriptId, tour.scriptVersion, 'loudspeaker', SCRIPT_FIELDS);
  const repetitionsPerStop = version.repetitionsPerStop ?? 1;
  return {
    tourId: tour.id,
    title: template?.name ?? tour.scriptId,
    code: `${tour.scriptId} v${tour.scriptVersion}`,
    text: version.body,
    repetitionsPerStop,
    readingSeconds: readingSeconds(version.body),
  };
}

/**
 * Starts the run at `tour.nextFireAt`: records it, has the crew lead's SMS sent through the campaign
 * path (with its receipt), and arms the next start. Safe to repeat: the campaign and the run are each
 * written once, by ids taken from the start, and the campaign is handed on again while not yet launched.
 */
export async function dispatchTour(deps: Deps, tourId: string): Promise<TourRun | undefined> {
  // Read now, not taken from the caller: a tour cancelled a moment ago sends its crew nothing.
  const tour = await deps.tours.getTour(tourId);
  if (tour?.status !== TourStatus.approved || !tour.nextFireAt) return undefined;
  // Scheduler fires have minute precision: a fire a little early is this start, not a stray.
  if (Date.parse(tour.nextFireAt) > deps.clock.now().getTime() + 60_000) return undefined;
  const startsAt = new Date(tour.nextFireAt);
  const runId = tourRunId(startsAt);
  const plan = planRun(tour.stops, startsAt, deps.config.tours.rules.minutesBetweenAreas);
  const van = await requireVan(deps, tour.vanId);
  const crewCampaignId = `cmp_${tour.id}_${runId}`;

  let crewCampaign = await deps.campaigns.getCampaign(crewCampaignId);
  if (!crewCampaign) {
    const areas = new Map((await deps.audience.getAreas(tour.stops.map((stop) => stop.areaCode))).map((area) => [area.code, area]));
    const script = await deps.templates.getTemplate(tour.scriptId);
    const text = stripDiacritics(crewMessage(tour, plan.stops, areas, script?.name ?? tour.scriptId, van.plate));
    const now = deps.clock.now().toISOString();
    const { encoding, parts } = countSmsParts(text);
    const campaign: Campaign = {
      id: crewCampaignId,
      name: `Crew route: ${tour.name}`,
      templateId: tour.scriptId,
      templateVersion: tour.scriptVersion,
      segmentId: '',
      variables: {},
      // Operational, not advertising: it reaches the crew before a 06:30 start and past any daily cap.
      priority: 'emergency',
      test: false,
      recipients: [van.crewLead.phone],
      stripDiacritics: true,
      text,
      sms: { encoding, parts },
      status: CampaignStatus.approved,
      createdBy: SYSTEM_ACTOR,
      createdAt: now,
      decidedBy: tour.decidedBy ?? SYSTEM_ACTOR,
      decidedAt: now,
      nextFireAt: now,
      runCount: 0,
      revision: 1,
    };
    try {
      await deps.campaigns.insertCampaign(campaign);
      crewCampaign = campaign;
    } catch (error) {
      // The same start delivered twice at once: the other delivery wrote it.
      if (!(error instanceof ConflictError)) throw error;
      crewCampaign = (await deps.campaigns.getCampaign(crewCampaignId)) ?? campaign;
    }
  }
  // Handed on until launched: a repeat after a failed hand-on (a retried fire) must not leave it unsent.
  if (crewCampaign.status === CampaignStatus.approved) await deps.scheduler.campaignScheduled(crewCampaign);

  const run: TourRun = {
    tourId: tour.id,
    runId,
    vanId: tour.vanId,
    ...plan,
    status: 'dispatched',
    crewCampaignId,
    confirmBy: new Date(Date.parse(plan.endsAt) + deps.config.tours.confirmWithinMinutes * 60_000).toISOString(),
    confirmed: [],
    notes: [],
  };
  await deps.tours.insertTourRun(run);

  // The next start still to come: a start dispatched late (after an outage) is one run, not a burst of
  // runs and crew SMS for every start missed meanwhile (as launchRun does for a campaign's fires).
  const next = isRecurring(parseSchedule(tour.schedule.expression, tour.schedule.timezone))
    ? nextTourStart(tour, new Date(Math.max(startsAt.getTime(), deps.clock.now().getTime()) + 1000))
    : undefined;
  const { nextFireAt: _, ...rest } = tour;
  const moved: Tour = {
    ...rest,
    status: next ? TourStatus.approved : TourStatus.dispatched,
    ...(next && { nextFireAt: next.toISOString() }),
    runCount: tour.runCount + 1,
    revision: tour.revision + 1,
  };
  try {
    await deps.tours.updateTour(moved);
  } catch (error) {
    if (error instanceof ConflictError) return undefined;
    throw error;
  }
  if (next) await deps.scheduler.tourScheduled(moved);
  await audit(deps, SYSTEM_ACTOR, 'tour.dispatched', tour.id, { runId, startsAt: run.startsAt });
  return run;
}

/**
 * The crew confirms stops (all of them when `areas` is not given) of the tour's latest run, or of `runId`.
 * A run with every stop confirmed is completed, late or not.
 */
export async function confirmTour(
  deps: Deps,
  caller: Caller,
  id: string,
  input: { runId?: string; areas?: string[]; note?: string },
): Promise<TourRun> {
  const tour = await visibleTour(deps, caller, id);
  const run = input.runId ? await deps.tours.getTourRun(id, input.runId) : (await deps.tours.listTourRuns(id, { limit: 1 })).items[0];
  if (!run) throw new ConflictError(`Tour ${id} has no dispatched run${input.runId ? ` ${input.runId}` : ''} to confirm`);
  if (run.status === 'cancelled') throw new ConflictError(`Run ${run.runId} of tour ${id} was cancelled`);
  const planned = new Set(run.stops.map((stop) => stop.areaCode));
  const areas = input.areas ?? [...planned];
  areas.forEach((code, index) => {
    if (!planned.has(code)) throw ValidationError.field(`areas.${index}`, `${code} is not a stop of run ${run.runId}`);
  });
  requireStopsStarted(run.stops, areas, deps.clock.now(), tour.schedule.timezone);
  const at = deps.clock.now().toISOString();
  const already = new Set(run.confirmed.map((stop) => stop.areaCode));
  const confirmed = [...run.confirmed, ...areas.filter((code) => !already.has(code)).map((areaCode) => ({ areaCode, at, by: caller.id }))];
  const complete = confirmed.length === planned.size;
  const updated: TourRun = {
    ...run,
    confirmed,
    notes: input.note ? [...run.notes, { at, by: caller.id, text: input.note }] : run.notes,
    status: complete ? 'completed' : run.status,
  };
  await deps.tours.saveTourRun(updated);
  if (complete && (tour.status === TourStatus.dispatched || tour.status === TourStatus.missed) && !tour.nextFireAt) {
    await deps.tours.updateTour({ ...tour, status: TourStatus.completed, revision: tour.revision + 1 });
  }
  await audit(deps, caller.id, 'tour.confirmed', id, { runId: run.runId, areas, complete });
  return updated;
}

/** Runs nobody confirmed in time become missed, and so does a one-time tour with one. Returns how many. */
export async function markMissedTourRuns(deps: Deps): Promise<number> {
  const overdue = await deps.tours.overdueTourRuns(deps.clock.now().toISOString());
  for (const run of overdue) {
    await deps.tours.saveTourRun({ ...run, status: 'missed' });
    const tour = await deps.tours.getTour(run.tourId);
    if (tour?.status === TourStatus.dispatched) {
      await deps.tours.updateTour({ ...tour, status: TourStatus.missed, revision: tour.revision + 1 });
    }
    await audit(deps, SYSTEM_ACTOR, 'tour.missed', run.tourId, {
      runId: run.runId,
      confirmed: run.confirmed.length,
      stops: run.stops.length,
    });
  }
  return overdue.length;
}

function crewMessage(tour: Tour, stops: TourRun['stops'], areas: Map<string, Area>, scriptTitle: string, plate: string): string {
  const timezone = tour.schedule.timezone;
  const hhmm = (iso: string) => localTime(new Date(iso), timezone).hhmm;
  const day = localTime(new Date(stops[0]?.startsAt ?? tour.nextFireAt!), timezone).day;
  const route = stops
    .map((stop) => `${hhmm(stop.startsAt)} ${areas.get(stop.areaCode)?.name ?? stop.areaCode} (${stop.minutes} ph)`)
    .join('; ');
  const urgent = tour.priority === 'emergency' ? 'KHẨN. ' : '';
  return `${urgent}Loa ${plate}, ${day}: ${route}. Bài: ${scriptTitle} (${tour.scriptId} v${tour.scriptVersion}). Xác nhận khi xong.`;
}

async function checked(deps: Deps, tour: Tour, script?: TemplateVersion): Promise<Tour> {
  const result = await ruleCheck(deps, tour, script);
  const invalid = result.problems.filter((problem) => problem.kind === 'invalid');
  if (invalid.length > 0) {
    throw new ValidationError(
      invalid.map((problem) => problem.message).join('; '),
      invalid.map(({ field, message }) => ({ field, message })),
    );
  }
  if (result.problems.length > 0) throw new ConflictError(result.problems.map((problem) => problem.message).join('; '));
  // A re-check sees the stops already without the quiet areas: the warnings of earlier checks still hold.
  return { ...tour, stops: result.stops, warnings: [...new Set([...tour.warnings, ...result.warnings])] };
}

/** The rules applied to `tour` against the tours planned besides it. */
async function ruleCheck(deps: Deps, tour: Tour, script?: TemplateVersion): Promise<TourCheck> {
  const version = script ?? (await approvedVersion(deps, tour.scriptId, tour.scriptVersion, 'loudspeaker', SCRIPT_FIELDS));
  const others = (await deps.tours.plannedTours()).filter((other) => other.id !== tour.id);
  const areas = new Map((await deps.audience.getAreas(tour.stops.map((stop) => stop.areaCode))).map((area) => [area.code, area]));
  const van = await deps.tours.getVan(tour.vanId);
  return checkTour(tour, {
    others,
    areas,
    ...(van && { vanName: van.plate }),
    now: deps.clock.now(),
    config: deps.config.tours.rules,
    readingSecondsPerStop: readingSeconds(version.body) * (version.repetitionsPerStop ?? 1),
  });
}

function canonicalStops(tour: Tour): string {
  return tour.stops.map((stop) => `${stop.areaCode}:${stop.minutes}`).join(',');
}

function requireOnTheRoad(van: Van): void {
  if (van.status !== 'active') throw new ConflictError(`Van ${van.plate} is in maintenance`);
}

async function requireAreas(deps: Deps, stops: TourStop[]): Promise<void> {
  if (stops.length === 0) throw ValidationError.field('stops', 'a tour needs at least one stop');
  const known = new Set((await deps.audience.getAreas(stops.map((stop) => stop.areaCode))).map((area) => area.code));
  stops.forEach((stop, index) => {
    if (!known.has(stop.areaCode)) throw ValidationError.field(`stops.${index}.areaCode`, `unknown area ${stop.areaCode}`);
  });
}

async function requireStatus(deps: Deps, id: string, allowed: TourStatus[], action: string): Promise<Tour> {
  const tour = await getTour(deps, id);
  if (!allowed.includes(tour.status)) throw new ConflictError(`Tour ${id} is ${tour.status}; it cannot be ${action}`);
  return tour;
}

async function save(deps: Deps, caller: Caller, tour: Tour, action: string, details: Record<string, unknown> = {}): Promise<Tour> {
  const saved = { ...tour, revision: tour.revision + 1 };
  await deps.tours.updateTour(saved);
  await audit(deps, caller.id, action, tour.id, details);
  return saved;
}
