/**
 * What the campaign pages read and send, typed by the API's own OpenAPI document (schema.d.ts).
 */
import { api, ApiError, call, rawRequest, toApiError } from '../../api/client';
import { downloadCsv } from '../../download-csv';
import type { paths } from '../../api/schema';
import { loadSegments, withPreselected, type SegmentSummary } from '../segments/segment-list';

type JsonOf<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;

export type CampaignDetail = JsonOf<paths['/v1/campaigns/{id}']['get']['responses'][200]>;
export type CampaignSummary = JsonOf<paths['/v1/campaigns']['get']['responses'][200]>['items'][number];
export type CampaignStatus = CampaignDetail['status'];
export type CampaignEstimate = JsonOf<paths['/v1/campaigns/{id}/estimate']['get']['responses'][200]>;
export type CampaignProgress = JsonOf<paths['/v1/campaigns/{id}/progress']['get']['responses'][200]>;
export type ReceiptPage = JsonOf<paths['/v1/campaigns/{id}/receipts']['get']['responses'][200]>;
export type ReceiptFilter = NonNullable<paths['/v1/campaigns/{id}/receipts']['get']['parameters']['query']>;
export type NewCampaign = paths['/v1/campaigns']['post']['requestBody']['content']['application/json'];
export type TemplateDetail = JsonOf<paths['/v1/templates/{id}']['get']['responses'][200]>;
export type TemplateVersion = TemplateDetail['versions'][number];

/** States in which a campaign sends or may soon send: its page refreshes itself every 2 seconds. */
export const LIVE_STATUSES: readonly CampaignStatus[] = ['approved', 'scheduled', 'sending', 'paused'];
export const FINISHED_STATUSES: readonly CampaignStatus[] = ['completed', 'cancelled'];
/** States from which an operator may pause, and cancel, as campaign-status.ts allows. */
export const PAUSABLE_STATUSES: readonly CampaignStatus[] = ['approved', 'scheduled', 'sending'];
export const CANCELLABLE_STATUSES: readonly CampaignStatus[] = ['draft', 'pending_approval', 'approved', 'scheduled', 'sending', 'paused'];

export function getCampaign(id: string): Promise<CampaignDetail> {
  return call(api.GET('/v1/campaigns/{id}', { params: { path: { id } } }));
}

export function getTemplate(id: string): Promise<TemplateDetail> {
  return call(api.GET('/v1/templates/{id}', { params: { path: { id } } }));
}

export function getSegment(id: string): Promise<SegmentDetail> {
  return call(api.GET('/v1/segments/{id}', { params: { path: { id } } }));
}

export function getEstimate(id: string): Promise<CampaignEstimate> {
  return call(api.GET('/v1/campaigns/{id}/estimate', { params: { path: { id } } }));
}

export function getProgress(id: string): Promise<CampaignProgress> {
  return call(api.GET('/v1/campaigns/{id}/progress', { params: { path: { id } } }));
}

export type CampaignAction = 'submit' | 'pause' | 'resume' | 'cancel';

export function act(id: string, action: CampaignAction): Promise<CampaignDetail> {
  const options = { params: { path: { id } }, body: {} };
  switch (action) {
    case 'submit':
      return call(api.POST('/v1/campaigns/{id}/submit', options));
    case 'pause':
      return call(api.POST('/v1/campaigns/{id}/pause', options));
    case 'resume':
      return call(api.POST('/v1/campaigns/{id}/resume', options));
    case 'cancel':
      return call(api.POST('/v1/campaigns/{id}/cancel', options));
  }
}

/** A decision names the revision the approver read: one changed since is refused (409), not decided unseen. */
export function approve(campaign: Pick<CampaignDetail, 'id' | 'revision'>): Promise<CampaignDetail> {
  return call(api.POST('/v1/campaigns/{id}/approve', { params: { path: { id: campaign.id } }, body: { revision: campaign.revision } }));
}

export function reject(campaign: Pick<CampaignDetail, 'id' | 'revision'>, reason: string): Promise<CampaignDetail> {
  const body = { reason, revision: campaign.revision };
  return call(api.POST('/v1/campaigns/{id}/reject', { params: { path: { id: campaign.id } }, body }));
}

/** Names of every area by code, for the table of progress by area. */
export async function loadAreaNames(): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await call(api.GET('/v1/areas', { params: { query: { limit: 1000, ...(cursor && { cursor }) } } }));
    for (const area of page.items) names.set(area.code, area.name);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return names;
}

export interface ApprovedVersion {
  templateId: string;
  templateName: string;
  version: TemplateVersion;
}

/** The approved versions of every SMS template: what a campaign may be made from. */
export async function loadApprovedSmsVersions(): Promise<ApprovedVersion[]> {
  const templates: { id: string; channel: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(api.GET('/v1/templates', { params: { query: { limit: 200, ...(cursor && { cursor }) } } }));
    templates.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const details = await Promise.all(
    templates
      .filter((template) => template.channel === 'sms')
      .map((template) => call(api.GET('/v1/templates/{id}', { params: { path: { id: template.id } } }))),
  );
  return details.flatMap((template) =>
    template.versions
      .filter((version) => version.status === 'approved')
      .sort((a, b) => b.version - a.version)
      .map((version) => ({ templateId: template.id, templateName: template.name, version })),
  );
}

export type SegmentDetail = JsonOf<paths['/v1/segments/{id}']['get']['responses'][200]>;

/**
 * The segments an author can pick, newest first, with the one the address names (the segments page links
 * here with ?segment=) even if the list does not show it yet.
 */
export async function loadSegmentChoices(preselected: string | undefined): Promise<SegmentSummary[]> {
  return withPreselected(await loadSegments(), preselected, getSegment);
}

/**
 * Downloads every receipt matching the filters as one CSV file. The API answers a bounded page at a time
 * with a `Link: <...>; rel="next"` to the rest; each page is fetched with the console's own credentials
 * (the session cookie, or the bearer token on AWS, where a plain link could not carry it).
 */
export async function downloadReceiptsCsv(id: string, filter: { status?: string; runId?: string }): Promise<void> {
  let next: string | undefined = receiptsCsvUrl(id, filter);
  const pages: string[] = [];
  while (next) {
    const { url, headers } = rawRequest(next);
    let response: Response;
    try {
      response = await fetch(url, { headers, credentials: 'same-origin' });
    } catch (error) {
      throw new ApiError(0, 'unreachable', String(error));
    }
    if (!response.ok) throw toApiError(response.status, await response.json().catch(() => undefined));
    const text = await response.text();
    pages.push(pages.length === 0 ? text : text.slice(text.indexOf('\n') + 1));
    next = nextLink(response.headers.get('link'));
  }
  downloadCsv(`receipts-${id}.csv`, pages.join(''));
}

/** The path of a `rel="next"` link, if there is one. */
export function nextLink(header: string | null): string | undefined {
  const match = header ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(header) : null;
  if (!match) return undefined;
  const target = new URL(match[1]!, 'http://loa.invalid');
  return target.pathname + target.search;
}

/** The address of the receipts as CSV, with the same filters as the table. */
export function receiptsCsvUrl(id: string, filter: { status?: string; runId?: string }): string {
  const query = new URLSearchParams();
  if (filter.status) query.set('status', filter.status);
  if (filter.runId) query.set('runId', filter.runId);
  const search = query.toString();
  return `/v1/campaigns/${encodeURIComponent(id)}/receipts.csv${search ? `?${search}` : ''}`;
}
