import type { Page, PageRequest } from './model.js';

/** Every item of a paged list, for the lists that a use case needs whole (all areas, a van's tours). */
export async function allPages<T>(list: (page: PageRequest) => Promise<Page<T>>, limit = 1000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ limit, ...(cursor && { cursor }) });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
