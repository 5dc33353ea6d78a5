import { describe, expect, it, vi } from 'vitest';
import { CloudWatchMetrics } from '../../lambdas/adapters/cloudwatch/cloudwatch-metrics.js';
import { logger, maskingReplacer } from '../../lambdas/handlers/powertools.js';
import { captureOutput } from './captured-output.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'Loa/test';
  process.env.POWERTOOLS_SERVICE_NAME = 'loa';
});

describe('the Lambda log lines', () => {
  it('mask every phone number, in the message, in added keys, nested values and errors', async () => {
    logger.setLogLevel('INFO');
    const lines = await captureOutput(() => {
      logger.info('Sent to +84912345678', { to: '0912345678', nested: { phones: ['+84987654321'] } });
      logger.error('Publish failed', { error: new Error('Invalid parameter: PhoneNumber +84912345678') });
    });
    logger.setLogLevel('SILENT');

    const text = lines.join('\n');
    expect(text).not.toMatch(/912345678|987654321/);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      message: 'Sent to +8491****678',
      to: '+8491****678',
      nested: { phones: ['+8498****321'] },
    });
  });

  it('leave other values alone', () => {
    expect(maskingReplacer('runId', 'run_20260302T010000000Z')).toBe('run_20260302T010000000Z');
    expect(maskingReplacer('count', 12345678901)).toBe(12345678901);
  });
});

describe('the CloudWatch metrics', () => {
  it('writes one EMF line per gateway and carrier, with the counts summed, and nothing when nothing was counted', async () => {
    const metrics = new CloudWatchMetrics();
    metrics.count('submitted', 1, { gateway: 'sns', carrier: 'viettel' });
    metrics.count('submitted', 1, { gateway: 'sns', carrier: 'viettel' });
    metrics.count('throttles', 1, { gateway: 'sns', carrier: 'viettel' });
    metrics.count('submitted', 1, { gateway: 'sns', carrier: 'mobifone' });

    const lines = (await captureOutput(() => metrics.flush())).map((line) => JSON.parse(line));
    expect(await captureOutput(() => metrics.flush())).toEqual([]);

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'Loa/test', Dimensions: [expect.arrayContaining(['service', 'gateway', 'carrier'])] }] },
      service: 'loa',
      gateway: 'sns',
      carrier: 'viettel',
      submitted: 2,
      throttles: 1,
    });
    expect(lines[1]).toMatchObject({ carrier: 'mobifone', submitted: 1 });
    expect(JSON.stringify(lines)).not.toMatch(/\+84/);
  });
});
