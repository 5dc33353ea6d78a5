/**
 * `npm run bench -- --recipients N`: one campaign to N generated subscribers through the embedded
 * runtime and the carrier simulator with no rate limit. Prints, last, one JSON line with the throughput,
 * the time to the last receipt and the last delivery report, the peak RSS, and the floor set by SQLite
 * itself (inserting N receipts and updating each once, in large transactions) measured in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { measurePersistFloor } from '../lambdas/adapters/sqlite/persist-floor.js';
import type { Caller } from '../lambdas/core/auth/caller.js';
import { approveCampaign, createCampaign, submitCampaign } from '../lambdas/core/campaigns/campaign-use-cases.js';
import { DEFAULT_CONFIG } from '../lambdas/core/config.js';
import { DEFAULT_HEALTH_POLICY } from '../lambdas/core/gateways/gateway-health.js';
import type { Subscriber } from '../lambdas/core/model.js';
import { createSegment } from '../lambdas/core/segments/segment-use-cases.js';
import { carrierFromPrefix } from '../lambdas/core/subscribers/carriers.js';
import { approveTemplate, createTemplate, submitTemplate } from '../lambdas/core/templates/template-use-cases.js';
import { startRuntime } from '../lambdas/embedded/runtime.js';

const { values } = parseArgs({ options: { recipients: { type: 'string', default: '1000000' } } });
const recipients = Number(values.recipients);
const author: Caller = { id: 'bench-author', roles: ['author'] };
const approver: Caller = { id: 'bench-approver', roles: ['approver'] };
const prefixes = ['96', '97', '98', '32', '33', '86', '91', '94', '88', '90', '93', '89', '70', '92', '56', '99'];

const dataDir = mkdtempSync(join(tmpdir(), 'loa-bench-'));
// Removed however the run ends, a failed one included.
process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
let peakRssMb = 0;
const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 2 ** 20)), 50);

const runtime = await startRuntime({
  host: '127.0.0.1',
  port: 0,
  dataDir,
  config: { ...DEFAULT_CONFIG, quietHours: { start: '00:00', end: '00:00' } },
  // The carrier inside the process: this measures the dispatcher and the store; bench/smpp.ts the protocol.
  gateways: {
    gateways: [{ id: 'simulator', type: 'in-process-simulator' }],
    routes: [{ carriers: ['*'], gateways: ['simulator'] }],
    health: DEFAULT_HEALTH_POLICY,
  },
  simulator: { reportDelayMs: 100, transientErrorRate: 0, permanentErrorRate: 0, undeliveredRate: 0, smscPort: 0 },
});
const { deps } = runtime;

await deps.audience.putAreas([{ code: 'BENCH', name: 'Tỉnh thử', path: 'BENCH' }]);
const now = new Date().toISOString();
for (let start = 0; start < recipients; start += 10_000) {
  const batch: Subscriber[] = [];
  for (let i = start; i < Math.min(recipients, start + 10_000); i++) {
    const phone = `+84${prefixes[i % prefixes.length]}${String(i).padStart(7, '0')}`;
    batch.push({
      phone,
      areaCode: 'BENCH',
      areaPath: 'BENCH',
      tags: [],
      carrier: carrierFromPrefix(phone),
      carrierSource: 'prefix',
      updatedAt: now,
    });
  }
  await deps.audience.upsertSubscribers(batch);
}
const template = await createTemplate(deps, author, {
  name: 'Bench',
  body: 'Thong bao {{n}} tu UBND tinh.',
  placeholders: [{ name: 'n', maxLength: 10 }],
});
await submitTemplate(deps, author, template.id);
await approveTemplate(deps, approver, template.id, 1);
const segment = await createSegment(deps, author, { name: 'All', filter: { areas: ['BENCH'], tags: [], carriers: [] } });
const campaign = await createCampaign(deps, author, {
  name: 'Bench',
  templateId: template.id,
  templateVersion: 1,
  segmentId: segment.id,
  variables: { n: '1' },
  priority: 'normal',
  test: false,
  stripDiacritics: false,
});
const submitted = await submitCampaign(deps, author, campaign.id);
const started = performance.now();
await approveCampaign(deps, approver, campaign.id, submitted.revision);

let secondsToLastReceipt = 0;
for (;;) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  const counts = await deps.receipts.campaignCounts(campaign.id);
  if (!secondsToLastReceipt && counts.total === recipients && counts.queued === 0) {
    secondsToLastReceipt = (performance.now() - started) / 1000;
  }
  if (counts.delivered === recipients) break;
}
const secondsToLastDlr = (performance.now() - started) / 1000;
clearInterval(sampler);
await runtime.stop();

const floor = measurePersistFloor(join(dataDir, 'floor.db'), recipients);
const msgsPerSec = recipients / secondsToLastReceipt;
const round = (value: number, digits = 0) => Number(value.toFixed(digits));
console.log(
  JSON.stringify({
    recipients,
    msgsPerSec: round(msgsPerSec),
    secondsToLastReceipt: round(secondsToLastReceipt, 2),
    secondsToLastDlr: round(secondsToLastDlr, 2),
    peakRssMb: round(peakRssMb, 1),
    persistFloorMsgsPerSec: round(floor.msgsPerSec),
    ratio: round(msgsPerSec / floor.msgsPerSec, 3),
  }),
);
