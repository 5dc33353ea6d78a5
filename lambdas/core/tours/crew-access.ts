/**
 * What a crew user may see and do: the vans an operator bound it to (Van.crewUsers), their tours, and the
 * stops that have started. Anyone holding another staff role sees every van, as that role allows.
 */
import { allPages } from '../all-pages.js';
import type { Caller } from '../auth/caller.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Page } from '../model.js';
import { localTime } from '../time/local-time.js';
import type { PlannedStop, Tour, Van } from './tour-model.js';

/** A caller whose only role is crew: it is limited to its bound vans. */
function isCrewOnly(caller: Caller): boolean {
  return caller.roles.length > 0 && caller.roles.every((role) => role === 'crew');
}

/** Whether `caller` is one of the van's bound crew. */
export function isBoundTo(caller: Caller, van: Van): boolean {
  return van.crewUsers?.includes(caller.id) ?? false;
}

export function seesVan(caller: Caller, van: Van): boolean {
  return !isCrewOnly(caller) || isBoundTo(caller, van);
}

/**
 * The van, if `caller` may see it. Another van is "not found" to a crew user, as if it did not exist:
 * crew learn nothing of the fleet beyond their own van.
 */
export async function visibleVan(deps: Pick<Deps, 'tours'>, caller: Caller, id: string): Promise<Van> {
  const van = await deps.tours.getVan(id);
  if (!van || !seesVan(caller, van)) throw new NotFoundError(`No van ${id}`);
  return van;
}

/** The tour, if `caller` may see its van (see visibleVan). */
export async function visibleTour(deps: Pick<Deps, 'tours'>, caller: Caller, id: string): Promise<Tour> {
  const tour = await deps.tours.getTour(id);
  if (!tour || (isCrewOnly(caller) && !(await crewVanIds(deps, caller)).has(tour.vanId))) throw new NotFoundError(`No tour ${id}`);
  return tour;
}

/** A page of items with only those on the caller's vans: a crew user's page may hold fewer than asked for. */
export async function onVisibleVans<T extends { vanId: string }>(
  deps: Pick<Deps, 'tours'>,
  caller: Caller,
  page: Page<T>,
): Promise<Page<T>> {
  if (!isCrewOnly(caller)) return page;
  const vanIds = await crewVanIds(deps, caller);
  return { ...page, items: page.items.filter((item) => vanIds.has(item.vanId)) };
}

/** The ids of the vans `caller` is bound to; a province has tens of vans, so they are read whole. */
async function crewVanIds(deps: Pick<Deps, 'tours'>, caller: Caller): Promise<Set<string>> {
  const vans = await allPages((page) => deps.tours.listVans(page));
  return new Set(vans.filter((van) => isBoundTo(caller, van)).map((van) => van.id));
}

/**
 * Nobody confirms a stop before its planned start: a broadcast cannot have been done yet, and a crew
 * confirming ahead would hide a stop that is then skipped.
 */
export function requireStopsStarted(stops: readonly PlannedStop[], areas: readonly string[], now: Date, timezone: string): void {
  const early = stops.filter((stop) => areas.includes(stop.areaCode) && Date.parse(stop.startsAt) > now.getTime());
  if (early.length === 0) return;
  const list = early.map((stop) => `${stop.areaCode} at ${localTime(new Date(stop.startsAt), timezone).hhmm}`).join(', ');
  throw new ConflictError(`A stop can be confirmed only once it has started; not yet started: ${list}`);
}
