import { api, call } from '../../api/client';
import type { AreaRecord } from './area-tree';

/** Every area, page after page (a province has a few thousand at most). */
export async function loadAllAreas(): Promise<AreaRecord[]> {
  const areas: AreaRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(api.GET('/v1/areas', { params: { query: { limit: 1000, ...(cursor && { cursor }) } } }));
    areas.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return areas;
}
