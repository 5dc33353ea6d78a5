/**
 * The service's own output, stdout and stderr of `loa start`, after a walk-through that handles phone
 * numbers every way it can: an import (with refused rows), opt-outs, a campaign sent and reported, and
 * look-ups of numbers written in every format people and URLs use, in bodies and in paths.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setUpCampaign } from './campaign-setup.js';
import { newDataDir, type RuntimeProcess, startRuntimeProcess, waitFor } from './runtime-process.js';

/** Many look-ups in a row from one caller, more than the rate limits allow. */
const UNLIMITED = JSON.stringify({ reads: { perSecond: 1_000, burst: 1_000 }, writes: { perSecond: 1_000, burst: 1_000 } });

/** The ways a number is written: 0961 000 003, 0961.000.003, (+84) 961-000-003, percent-encoded, 0084... */
function writtenForms(e164: string): string[] {
  const national = e164.slice(3);
  const [a, b, c] = [national.slice(0, 3), national.slice(3, 6), national.slice(6)];
  return [
    e164,
    `0${national}`,
    `0${a} ${b} ${c}`,
    `0${a}.${b}.${c}`,
    `0${a}-${b}-${c}`,
    `(+84) ${a} ${b} ${c}`,
    `+84 ${a}-${b}-${c}`,
    `0084${national}`,
    `84${national}`,
  ];
}

/** A line's digits with what may separate a number's digits removed, so that any written form shows whole. */
function digitsOf(line: string): string {
  return line.replace(/%20|%2B|%28|%29/gi, '').replace(/[\s.()+-]/g, '');
}

describe('the log of a walk-through', () => {
  let runtime: RuntimeProcess | undefined;
  afterEach(() => {
    runtime?.child.kill('SIGKILL');
  });

  it('holds no phone number whole, in any format', async () => {
    const dataDir = newDataDir();
    runtime = await startRuntimeProcess(dataDir, { LOA_SIM_REPORT_DELAY_MS: '100', LOA_RATE_LIMITS: UNLIMITED });
    const { campaignId, phones, optedOut, callAs } = await setUpCampaign(runtime.url, dataDir, {
      subscribers: 24,
      optOuts: 3,
      startInSeconds: 2,
    });
    await waitFor('the campaign to finish', async () => {
      const campaign = await callAs.viewer('GET', `/v1/campaigns/${campaignId}`);
      return campaign.body.status === 'completed' ? campaign.body : undefined;
    });

    const looked = phones.slice(3, 6);
    const refused = ['028 3822 1234', '0961.000', '+1 415 555 0100'];
    const csv = ['phone,area,tags', ...refused.map((phone) => `"${phone}",DNI-DX-1,`), `${writtenForms(looked[0]!)[3]},NOWHERE,`].join(
      '\n',
    );
    expect((await callAs.operator('POST', '/v1/subscribers/import', csv, 'text/csv')).status).toBe(200);
    for (const phone of looked) {
      for (const form of writtenForms(phone)) {
        expect((await callAs.viewer('POST', '/v1/subscribers/lookup', { phone: form })).status).toBe(200);
        // An old client putting the number in the path: answered 404 or 405, and logged.
        expect([404, 405]).toContain((await callAs.viewer('GET', `/v1/subscribers/${encodeURIComponent(form)}`)).status);
      }
    }
    expect((await callAs.viewer('POST', '/v1/subscribers/lookup', { phone: '0961 999 999' })).status).toBe(404);
    expect((await callAs.operator('POST', '/v1/opt-outs', { phone: writtenForms(looked[1]!)[5], source: 'hotline-1022' })).status).toBe(
      201,
    );
    expect((await callAs.operator('POST', '/v1/opt-outs/remove', { phone: writtenForms(optedOut[0]!)[4] })).status).toBe(204);
    expect((await callAs.operator('POST', '/v1/opt-outs/remove', { phone: '0961.999.999' })).status).toBe(404);
    runtime.child.kill('SIGTERM');
    expect(await runtime.exited).toBe(0);

    const lines = runtime.output().split('\n');
    expect(lines.filter((line) => line.includes('"path":"/v1/subscribers/')).length).toBeGreaterThan(looked.length * 9);
    expect(runtime.output()).toContain(`"path":"/v1/subscribers/+84${looked[0]!.slice(3, 5)}****${looked[0]!.slice(-3)}"`);
    const numbers = [...phones, '+84961999999', '+842838221234', '+14155550100'].map((phone) => phone.slice(3));
    const leaks = lines.filter((line) => numbers.some((national) => digitsOf(line).includes(national)));
    expect(leaks).toEqual([]);
  }, 180_000);
});
