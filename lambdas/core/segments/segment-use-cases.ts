import type { Caller } from '../auth/caller.js';
import { audit } from '../audit/audit.js';
import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import type { Page, PageRequest, ResolvedSegmentFilter, Segment, SegmentCounts, SegmentFilter } from '../model.js';

type SegmentDeps = Pick<Deps, 'audience' | 'audit' | 'clock'>;

export async function createSegment(
  deps: SegmentDeps,
  caller: Caller,
  input: { name: string; filter: SegmentFilter },
): Promise<Segment & { counts: SegmentCounts }> {
  await resolveFilter(deps, input.filter);
  const now = deps.clock.now();
  const segment: Segment = {
    id: newId('seg', now),
    name: input.name,
    filter: input.filter,
    createdBy: caller.id,
    createdAt: now.toISOString(),
  };
  await deps.audience.insertSegment(segment);
  await audit(deps, caller.id, 'segment.created', segment.id);
  return getSegment(deps, segment.id);
}

/** The segment with a live count of who it reaches now, by carrier and by area. */
export async function getSegment(deps: SegmentDeps, id: string): Promise<Segment & { counts: SegmentCounts }> {
  const segment = await requireSegment(deps, id);
  return { ...segment, counts: await deps.audience.countRecipients(await resolveFilter(deps, segment.filter)) };
}

/** Segments in creation order, without their counts: counting is a walk of the subscribers for each. */
export async function listSegments(deps: SegmentDeps, page: PageRequest): Promise<Page<Segment>> {
  return deps.audience.listSegments(page);
}

/** Who a filter would reach now, by carrier and by area, while a segment is being built: nothing is saved. */
export async function previewSegment(deps: SegmentDeps, filter: SegmentFilter): Promise<SegmentCounts> {
  return deps.audience.countRecipients(await resolveFilter(deps, filter));
}

export async function requireSegment(deps: SegmentDeps, id: string): Promise<Segment> {
  const segment = await deps.audience.getSegment(id);
  if (!segment) throw new NotFoundError(`No segment ${id}`);
  return segment;
}

export async function resolveFilter(deps: SegmentDeps, filter: SegmentFilter): Promise<ResolvedSegmentFilter> {
  const areas = new Map((await deps.audience.getAreas(filter.areas)).map((area) => [area.code, area.path]));
  const areaPaths = filter.areas.map((code, index) => {
    const path = areas.get(code);
    if (!path) throw ValidationError.field(`filter.areas.${index}`, `unknown area ${code}`);
    return path;
  });
  return { areaPaths, tags: filter.tags, carriers: filter.carriers };
}
