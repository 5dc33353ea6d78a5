/**
 * The saved segments, as the segments page lists them and the campaign form offers them, and the words
 * that summarise a segment's filter in a table cell.
 */
import { api, call } from '../../api/client';
import type { paths } from '../../api/schema';

export type SegmentSummary = paths['/v1/segments']['get']['responses'][200]['content']['application/json']['items'][number];

/**
 * Every segment, newest first. The API lists in creation order; segments are made by people, a few hundred
 * a year, so the whole list is read and turned round rather than shown oldest first a page at a time.
 */
export async function loadSegments(): Promise<SegmentSummary[]> {
  const segments: SegmentSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(api.GET('/v1/segments', { params: { query: { limit: 1000, ...(cursor && { cursor }) } } }));
    segments.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return segments.reverse();
}

/**
 * The segments a campaign may be sent to, with `preselected` (the segment the address names) first when the
 * list does not hold it yet, read with `load`: on AWS a segment saved a moment ago may be missing from the
 * list for a second. One that cannot be read (a wrong code) is left out, and the form asks for a choice.
 */
export async function withPreselected(
  segments: SegmentSummary[],
  preselected: string | undefined,
  load: (id: string) => Promise<SegmentSummary>,
): Promise<SegmentSummary[]> {
  if (!preselected || segments.some((segment) => segment.id === preselected)) return segments;
  const named = await load(preselected).catch(() => undefined);
  return named ? [named, ...segments] : segments;
}

/** The first `max` names of a list and how many more there are, so that a province-wide list stays one line. */
export function firstNames(items: readonly string[], name: (item: string) => string, max = 3): { names: string[]; more: number } {
  return { names: items.slice(0, max).map(name), more: Math.max(0, items.length - max) };
}
