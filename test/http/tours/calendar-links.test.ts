/** The van calendar's links point at the configured public address, whatever Host the request names. */
import { request as httpRequest } from 'node:http';
import { sync as icalParser, type VEvent } from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvedScript, areasWithSubscribers, expectStatus, registeredVan, startTestApi, unique, type TestApi } from '../harness.js';

const PUBLIC_URL = 'https://loa.dongnai.example.vn';
let api: TestApi;
let calendarPath: string;
let tourId: string;

beforeAll(async () => {
  api = await startTestApi({ clock: { now: () => new Date('2030-01-01T02:00:00Z') }, config: { publicUrl: PUBLIC_URL } });
  const { province, areas } = await areasWithSubscribers(api, []);
  const van = await registeredVan(api, province);
  calendarPath = van.calendarPath;
  const tour = await api.as('author').post('/v1/tours', {
    name: unique('Tour'),
    vanId: van.id,
    scriptId: await approvedScript(api),
    scriptVersion: 1,
    schedule: { expression: 'at(2030-01-08T07:00:00)' },
    stops: areas.map((areaCode) => ({ areaCode, minutes: 20 })),
  });
  expectStatus(tour, 201);
  tourId = tour.body.id;
  const submitted = await api.as('author').post(`/v1/tours/${tourId}/submit`);
  expectStatus(submitted, 200);
  expectStatus(await api.as('approver').post(`/v1/tours/${tourId}/approve`, { revision: submitted.body.revision }), 200);
});
afterAll(() => api.close());

/** The feed as a phone would fetch it, but with a Host header of the attacker's choosing. */
function feedWithHost(host: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${api.url}${calendarPath}`, { headers: { host, 'x-forwarded-proto': 'http' } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.once('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.once('error', reject);
    request.end();
  });
}

describe("the van calendar's links", () => {
  it('are built on LOA_PUBLIC_URL, never on a forged Host header', async () => {
    const feed = await feedWithHost('phishing.example.com');
    expect(feed.status).toBe(200);
    expect(feed.text).not.toContain('phishing.example.com');
    const events = Object.values(icalParser.parseICS(feed.text)).filter((item): item is VEvent => item?.type === 'VEVENT');
    const event = events.find((candidate) => candidate.uid.startsWith(tourId));
    // node-ical types URL as a string but hands it over with its VALUE=URI parameter.
    const url = event?.url as unknown as string | { val: string };
    expect(typeof url === 'string' ? url : url?.val).toBe(`${PUBLIC_URL}/v1/tours/${tourId}/script`);
  });
});
