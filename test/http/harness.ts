/**
 * A real Loa API on 127.0.0.1 for tests: the embedded HTTP server, the real use cases, and a SQLite store
 * and queue in a temp folder. Clients call it over HTTP with tokens signed like `loa token` signs them.
 */
import { join } from 'node:path';
import { SqliteQueue } from '../../lambdas/adapters/sqlite/sqlite-queue.js';
import { openSqliteStores, type SqliteStores } from '../../lambdas/adapters/sqlite/sqlite-stores.js';
import type { Role } from '../../lambdas/core/auth/caller.js';
import { DEFAULT_CONFIG, type LoaConfig } from '../../lambdas/core/config.js';
import type { Deps } from '../../lambdas/core/deps.js';
import type { Campaign } from '../../lambdas/core/model.js';
import { storesIn, type Clock, type Scheduler } from '../../lambdas/core/ports.js';
import type { Tour } from '../../lambdas/core/tours/tour-model.js';
import { EmbeddedImports } from '../../lambdas/embedded/embedded-imports.js';
import { startHttpServer } from '../../lambdas/embedded/http-server.js';
import { issueToken, loadOrCreateSigningKey, type SigningKey } from '../../lambdas/embedded/tokens.js';
import { createApiHandler } from '../../lambdas/http/api-handler.js';
import type { ApiLogEntry } from '../../lambdas/http/api-log.js';
import type { Route } from '../../lambdas/http/route.js';
import { ROUTES } from '../../lambdas/http/routes.js';
import { newTempFolder } from '../temp-folder.js';
import { TEST_PSEUDONYMIZER } from '../test-pseudonymizer.js';
import { checkResponseContract } from './response-contract.js';

/** The person each role is played by unless a test names another. */
export const USERS: Record<Role, string> = {
  author: 'lan',
  approver: 'minh',
  operator: 'hoa',
  viewer: 'tuan',
  integration: 'hotline-1022',
  crew: 'crew-60a12345',
};

export const TEST_NUMBER = '+84912000001';

export interface ApiResult {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export interface RequestOptions {
  /** Sent as JSON (application/json) unless `body` is given. */
  json?: unknown;
  /** Sent as is, with `contentType` (if any). */
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface Client {
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResult>;
  get(path: string): Promise<ApiResult>;
  post(path: string, json?: unknown, headers?: Record<string, string>): Promise<ApiResult>;
  delete(path: string): Promise<ApiResult>;
}

/** Records what the use cases told the scheduler. */
export class RecordingScheduler implements Scheduler {
  readonly scheduled: Campaign[] = [];
  readonly unscheduled: string[] = [];
  readonly scheduledTours: Tour[] = [];
  async campaignScheduled(campaign: Campaign): Promise<void> {
    this.scheduled.push(campaign);
  }
  async campaignUnscheduled(campaignId: string): Promise<void> {
    this.unscheduled.push(campaignId);
  }
  async tourScheduled(tour: Tour): Promise<void> {
    this.scheduledTours.push(tour);
  }
  async tourUnscheduled(tourId: string): Promise<void> {
    this.unscheduled.push(tourId);
  }
}

export interface TestApi {
  url: string;
  deps: Deps;
  store: SqliteStores;
  scheduler: RecordingScheduler;
  /** Every log line the API wrote. */
  logs: ApiLogEntry[];
  signingKey: SigningKey;
  dataDir: string;
  /** A client with a token for one role, as USERS[role] unless `user` is given. */
  as(role: Role, user?: string): Client;
  withRoles(user: string, roles: Role[]): Client;
  withToken(token: string): Client;
  anonymous: Client;
  close(): Promise<void>;
}

export async function startTestApi(
  options: { config?: Partial<LoaConfig>; clock?: Clock; routes?: readonly Route[] } = {},
): Promise<TestApi> {
  const dataDir = newTempFolder('loa-http-');
  const routes = options.routes ?? ROUTES;
  const clock = options.clock ?? { now: () => new Date() };
  const store = openSqliteStores(join(dataDir, 'loa.db'));
  const queue = SqliteQueue.open(join(dataDir, 'queue.db'), clock);
  const scheduler = new RecordingScheduler();
  let serverUrl: string | undefined;
  const imports = new EmbeddedImports(dataDir, () => serverUrl);
  const deps: Deps = {
    ...storesIn(store),
    queue,
    scheduler,
    clock,
    config: { ...DEFAULT_CONFIG, testNumbers: [TEST_NUMBER], ...options.config },
    pseudonymizer: TEST_PSEUDONYMIZER,
    importUploads: imports,
  };
  imports.start(deps, (error) => process.stderr.write(`importing subscribers failed: ${String(error)}\n`));
  const logs: ApiLogEntry[] = [];
  const signingKey = await loadOrCreateSigningKey(dataDir);
  const server = await startHttpServer({
    handler: createApiHandler(deps, { log: (entry) => logs.push(entry), ...(options.routes && { routes: options.routes }) }),
    host: '127.0.0.1',
    port: 0,
    signingKey,
  });
  serverUrl = server.url;

  const client = (token: string | undefined): Client => {
    const request = async (method: string, path: string, options: RequestOptions = {}): Promise<ApiResult> => {
      const headers: Record<string, string> = { ...options.headers };
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      let body: string | undefined = options.body;
      if (body !== undefined) {
        if (options.contentType !== undefined) headers['content-type'] = options.contentType;
      } else if (options.json !== undefined) {
        body = JSON.stringify(options.json);
        headers['content-type'] = 'application/json';
      }
      const response = await fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined && { body }) });
      const text = await response.text();
      const type = response.headers.get('content-type') ?? '';
      const result = {
        status: response.status,
        headers: response.headers,
        text,
        body: /json/.test(type) && text ? JSON.parse(text) : undefined,
      };
      checkResponseContract(routes, { method, path }, { ...result, contentType: type });
      return result;
    };
    return {
      request,
      get: (path) => request('GET', path),
      post: (path, json, headers) => request('POST', path, { ...(json !== undefined && { json }), ...(headers && { headers }) }),
      delete: (path) => request('DELETE', path),
    };
  };

  const tokens = new Map<string, Promise<string>>();
  const withRoles = (user: string, roles: Role[]): Client => {
    const cacheKey = JSON.stringify([user, roles]);
    if (!tokens.has(cacheKey)) tokens.set(cacheKey, issueToken(signingKey, { user, roles, ttlSeconds: 3600 }));
    const token = tokens.get(cacheKey)!;
    const lazy = async (method: string, path: string, options?: RequestOptions) => client(await token).request(method, path, options);
    return {
      request: lazy,
      get: (path) => lazy('GET', path),
      post: (path, json, headers) => lazy('POST', path, { ...(json !== undefined && { json }), ...(headers && { headers }) }),
      delete: (path) => lazy('DELETE', path),
    };
  };

  return {
    url: server.url,
    deps,
    store,
    scheduler,
    logs,
    signingKey,
    dataDir,
    as: (role, user = USERS[role]) => withRoles(user, [role]),
    withRoles,
    withToken: (token) => client(token),
    anonymous: client(undefined),
    close: async () => {
      await server.close();
      await imports.stop();
      queue.close();
      store.close();
    },
  };
}

// ---- test data through the API ---------------------------------------------------------------------

let counter = 0;
/** A name or code unique within this process. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

/** A template written by the author and approved by the approver; returns its id. */
export async function approvedTemplate(
  api: TestApi,
  body = 'So Y te khuyen cao: {{advice}}. Goi 1022.',
  placeholders = [{ name: 'advice', maxLength: 60 }],
): Promise<string> {
  const created = await api.as('author').post('/v1/templates', { name: unique('Khuyen cao'), body, placeholders });
  expectStatus(created, 201);
  const id = created.body.id as string;
  expectStatus(await api.as('author').post(`/v1/templates/${id}/submit`), 200);
  expectStatus(await api.as('approver').post(`/v1/templates/${id}/approve`, { version: 1 }), 200);
  return id;
}

/** A province with two residential areas, and `count` subscribers spread over them; returns the codes. */
export async function areasWithSubscribers(api: TestApi, phones: string[]): Promise<{ province: string; areas: [string, string] }> {
  const province = unique('DNI');
  const areas: [string, string] = [`${province}-1`, `${province}-2`];
  expectStatus(
    await api.as('operator').post('/v1/areas', {
      areas: [
        { code: province, name: 'Tinh Dong Nai' },
        { code: areas[0], name: 'Khu pho Tan Binh', parentCode: province },
        { code: areas[1], name: 'Khu pho Phu Thanh', parentCode: province },
      ],
    }),
    201,
  );
  if (phones.length > 0) {
    const csv = ['phone,area,tags', ...phones.map((phone, index) => `${phone},${areas[index % 2]},dan-cu`)].join('\n');
    expectStatus(await api.as('operator').request('POST', '/v1/subscribers/import', { body: csv, contentType: 'text/csv' }), 200);
  }
  return { province, areas };
}

/** A segment over an area; returns its id. */
export async function segmentOf(api: TestApi, area: string): Promise<string> {
  const segment = await api
    .as('author')
    .post('/v1/segments', { name: unique('Segment'), filter: { areas: [area], tags: [], carriers: [] } });
  expectStatus(segment, 201);
  return segment.body.id as string;
}

/** A draft campaign by the author over a fresh template and segment; returns its id. */
export async function draftCampaign(api: TestApi, extra: Record<string, unknown> = {}): Promise<string> {
  const templateId = await approvedTemplate(api);
  const { province } = await areasWithSubscribers(api, []);
  const segmentId = await segmentOf(api, province);
  const campaign = await api.as('author').post('/v1/campaigns', {
    name: unique('Campaign'),
    templateId,
    templateVersion: 1,
    segmentId,
    variables: { advice: 'deo khau trang' },
    ...extra,
  });
  expectStatus(campaign, 201);
  return campaign.body.id as string;
}

/** A loudspeaker script written by the author and approved by the approver; returns its id. */
export async function approvedScript(
  api: TestApi,
  body = 'Ba con chu y: tiem vac xin tai tram y te phuong tu 7 gio sang thu Bay.',
): Promise<string> {
  const created = await api
    .as('author')
    .post('/v1/templates', { name: unique('Loa'), channel: 'loudspeaker', body, repetitionsPerStop: 2 });
  expectStatus(created, 201);
  const id = created.body.id as string;
  expectStatus(await api.as('author').post(`/v1/templates/${id}/submit`), 200);
  expectStatus(await api.as('approver').post(`/v1/templates/${id}/approve`, { version: 1 }), 200);
  return id;
}

/** A van based in `commune`, registered by the operator; returns it as the operator sees it. */
export async function registeredVan(api: TestApi, commune: string) {
  const van = await api.as('operator').post('/v1/vans', {
    plate: unique('60A'),
    kind: 'van',
    crewLead: { name: 'Nguyen Van Hai', phone: '0912345678' },
    homeCommune: commune,
  });
  expectStatus(van, 201);
  return van.body as { id: string; calendarPath: string };
}

/** A draft tour by the author: a fresh van and script, two stops at 07:00 local on `day`; returns its id. */
export async function draftTour(api: TestApi, day = '2030-01-08'): Promise<string> {
  const { province, areas } = await areasWithSubscribers(api, []);
  const van = await registeredVan(api, province);
  const tour = await api.as('author').post('/v1/tours', {
    name: unique('Tour'),
    vanId: van.id,
    scriptId: await approvedScript(api),
    scriptVersion: 1,
    schedule: { expression: `at(${day}T07:00:00)` },
    stops: areas.map((areaCode) => ({ areaCode, minutes: 20 })),
  });
  expectStatus(tour, 201);
  return tour.body.id as string;
}

/** Throws with the response body in the message, so a failing setup says why. */
export function expectStatus(result: ApiResult, status: number): void {
  if (result.status !== status) throw new Error(`expected ${status}, got ${result.status}: ${result.text}`);
}

/** Walks every page of a list; returns all items and the number of pages. */
export async function allPages(client: Client, path: string, limit: number): Promise<{ items: any[]; pages: number }> {
  const items: unknown[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await client.get(`${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expectStatus(page, 200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
    pages += 1;
  } while (cursor);
  return { items: items as any[], pages };
}
