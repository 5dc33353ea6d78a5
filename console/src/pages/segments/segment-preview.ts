import { api, call } from '../../api/client';
import type { paths } from '../../api/schema';

/** As the builder holds it: every list present, empty meaning "any". */
export type SegmentFilter = Required<paths['/v1/segments']['post']['requestBody']['content']['application/json']['filter']>;
export type SegmentCounts = paths['/v1/segments/preview']['post']['responses'][200]['content']['application/json'];

export const EVERYONE: SegmentFilter = { areas: [], tags: [], carriers: [] };

/** Who a filter reaches now, by carrier and by area (opted-out numbers never count); nothing is saved. */
export function previewSegment(filter: SegmentFilter, signal?: AbortSignal): Promise<SegmentCounts> {
  return call(api.POST('/v1/segments/preview', { body: { filter }, ...(signal && { signal }) }));
}
