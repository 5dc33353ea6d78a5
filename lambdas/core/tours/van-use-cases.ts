import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { audit } from '../audit/audit.js';
import type { Caller } from '../auth/caller.js';
import type { Deps } from '../deps.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import type { Page, PageRequest } from '../model.js';
import { normalizePhone } from '../subscribers/phone-number.js';
import { seesVan } from './crew-access.js';
import type { Van } from './tour-model.js';

export interface NewVan {
  plate: string;
  kind: Van['kind'];
  crewLead: { name: string; phone: string };
  homeCommune: string;
}

export async function createVan(deps: Deps, caller: Caller, input: NewVan): Promise<Van> {
  const phone = normalizePhone(input.crewLead.phone);
  if (!phone.ok) throw ValidationError.field('crewLead.phone', phone.message);
  const [commune] = await deps.audience.getAreas([input.homeCommune]);
  if (!commune) throw ValidationError.field('homeCommune', `unknown area ${input.homeCommune}`);
  const now = deps.clock.now();
  const van: Van = {
    id: newId('van', now),
    plate: input.plate,
    kind: input.kind,
    crewLead: { name: input.crewLead.name, phone: phone.e164 },
    homeCommune: commune.code,
    status: 'active',
    feedToken: randomBytes(18).toString('base64url'),
    createdBy: caller.id,
    createdAt: now.toISOString(),
    revision: 1,
  };
  await deps.tours.insertVan(van);
  await audit(deps, caller.id, 'van.created', van.id, { plate: van.plate });
  return van;
}

/**
 * Into maintenance and back: a van in maintenance gets no new tours. The tours it already has stay as
 * they are, and `warnings` names them, for the operator to cancel or to plan for another van.
 */
export async function setVanStatus(deps: Deps, caller: Caller, id: string, status: Van['status']): Promise<Van & { warnings: string[] }> {
  const van = await requireVan(deps, id);
  const updated = van.status === status ? van : { ...van, status, revision: van.revision + 1 };
  if (updated !== van) {
    await deps.tours.updateVan(updated);
    await audit(deps, caller.id, 'van.status_changed', id, { status });
  }
  const stillPlanned = status === 'maintenance' ? (await deps.tours.plannedTours()).filter((tour) => tour.vanId === id) : [];
  const warnings = stillPlanned.map(
    (tour) => `Tour ${tour.id} (${tour.name}) is still ${tour.status}${tour.nextFireAt ? `, next start ${tour.nextFireAt}` : ''}`,
  );
  return { ...updated, warnings };
}

/** A page of vans; a crew user's holds only the vans it is bound to. */
export async function listVans(deps: Deps, caller: Caller, page: PageRequest): Promise<Page<Van>> {
  const vans = await deps.tours.listVans(page);
  return { ...vans, items: vans.items.filter((van) => seesVan(caller, van)) };
}

/**
 * Binds exactly `users` to the van as its crew: they see its tours and confirm its stops. The audit names
 * who was added and who removed, so a binding can be traced to the operator who made it.
 */
export async function setVanCrew(deps: Deps, caller: Caller, id: string, users: readonly string[]): Promise<Van> {
  const van = await requireVan(deps, id);
  const crewUsers = [...new Set(users)].sort();
  const before = van.crewUsers ?? [];
  const added = crewUsers.filter((user) => !before.includes(user));
  const removed = before.filter((user) => !crewUsers.includes(user));
  if (added.length === 0 && removed.length === 0) return van;
  const updated: Van = { ...van, crewUsers, revision: van.revision + 1 };
  await deps.tours.updateVan(updated);
  await audit(deps, caller.id, 'van.crew_changed', id, { added, removed });
  return updated;
}

export async function requireVan(deps: Pick<Deps, 'audience' | 'tours'>, id: string): Promise<Van> {
  const van = await deps.tours.getVan(id);
  if (!van) throw new NotFoundError(`No van ${id}`);
  return van;
}

/**
 * The van whose calendar feed `token` opens. A wrong token learns nothing: not from the time the check
 * takes, nor whether the van exists.
 */
export async function vanForFeed(deps: Pick<Deps, 'audience' | 'tours'>, id: string, token: string): Promise<Van> {
  const van = await deps.tours.getVan(id);
  const digest = (text: string) => createHash('sha256').update(text).digest();
  if (!van || !timingSafeEqual(digest(token), digest(van.feedToken))) throw new ForbiddenError(`No calendar for van ${id} with this token`);
  return van;
}
