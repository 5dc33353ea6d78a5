import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './harness.js';

describe('the schedule preview over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('answers a cron that only matches the hour New York skips, saying no fire time was found and where it stopped looking', async () => {
    // How fast the search gives up is measured without HTTP around it: test/core/schedules/schedule-search.test.ts.
    const expression = encodeURIComponent('cron(* 2 ? 3 1#2 *)');
    const preview = await api
      .as('viewer')
      .get(`/v1/schedule-preview?expression=${expression}&timezone=America/New_York&from=2026-12-05T00:00:00Z`);

    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      expression: 'cron(* 2 ? 3 1#2 *)',
      timezone: 'America/New_York',
      fireTimes: [],
      searchStoppedAt: expect.stringMatching(/^20\d\d-03-/),
    });
  });
});
