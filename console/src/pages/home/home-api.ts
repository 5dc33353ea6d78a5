/**
 * The lists the home page reads: what waits for the caller's decision (`awaiting=me`, never their own),
 * what they made (`createdBy=me`), and what is sending. A filtered page may come back short, even empty,
 * with a cursor (on AWS it stops after a bounded read), so each list follows cursors until it has enough.
 */
import { api, call } from '../../api/client';
import type { paths } from '../../api/schema';

type JsonOf<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;

export type TemplateVersionItem = JsonOf<paths['/v1/template-versions']['get']['responses'][200]>['items'][number];
export type CampaignItem = JsonOf<paths['/v1/campaigns']['get']['responses'][200]>['items'][number];
export type CampaignDetail = JsonOf<paths['/v1/campaigns/{id}']['get']['responses'][200]>;
export type TourItem = JsonOf<paths['/v1/tours']['get']['responses'][200]>['items'][number];
export type Gateway = JsonOf<paths['/v1/gateways']['get']['responses'][200]>['items'][number];

/** Enough to see what needs doing; the full lists are a link away. */
export const SHOWN = 10;
const MAX_PAGES = 10;

async function collect<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | null | undefined }>,
): Promise<{ items: T[]; more: boolean }> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let read = 0; read < MAX_PAGES; read++) {
    const result = await page(cursor);
    items.push(...result.items);
    cursor = result.nextCursor ?? undefined;
    if (!cursor || items.length > SHOWN) break;
  }
  return { items: items.slice(0, SHOWN), more: items.length > SHOWN || cursor !== undefined };
}

type TemplateVersionQuery = NonNullable<paths['/v1/template-versions']['get']['parameters']['query']>;
type CampaignQuery = NonNullable<paths['/v1/campaigns']['get']['parameters']['query']>;
type TourQuery = NonNullable<paths['/v1/tours']['get']['parameters']['query']>;

export function templateVersions(query: Omit<TemplateVersionQuery, 'limit' | 'cursor'>) {
  return collect((cursor) =>
    call(api.GET('/v1/template-versions', { params: { query: { ...query, limit: 50, ...(cursor && { cursor }) } } })),
  );
}

export function campaigns(query: Omit<CampaignQuery, 'limit' | 'cursor'>) {
  return collect((cursor) => call(api.GET('/v1/campaigns', { params: { query: { ...query, limit: 50, ...(cursor && { cursor }) } } })));
}

export function tours(query: Omit<TourQuery, 'limit' | 'cursor'>) {
  return collect((cursor) => call(api.GET('/v1/tours', { params: { query: { ...query, limit: 50, ...(cursor && { cursor }) } } })));
}

export function campaign(id: string): Promise<CampaignDetail> {
  return call(api.GET('/v1/campaigns/{id}', { params: { path: { id } } }));
}

export async function gateways(): Promise<Gateway[]> {
  return (await call(api.GET('/v1/gateways'))).items;
}
