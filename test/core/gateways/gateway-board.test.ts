import { describe, expect, it } from 'vitest';
import { combineGatewayReports, type GatewayReport } from '../../../lambdas/core/gateways/gateway-board.js';
import type { GatewayStatus } from '../../../lambdas/core/gateways/gateway-router.js';

const status = (id: string, fields: Partial<GatewayStatus> = {}): GatewayStatus => ({
  id,
  state: 'up',
  since: '2026-11-29T03:00:00.000Z',
  messagesPerSecond: 10,
  submitsPerSecond: 10,
  errorRate: 0,
  failovers: 0,
  stateChanges: 0,
  ...fields,
});
const report = (sender: string, gateways: GatewayStatus[]): GatewayReport => ({ sender, at: '2026-11-29T04:00:00.000Z', gateways });

describe('combineGatewayReports', () => {
  it('adds up the rates of the senders, and weights their error rates by their traffic', () => {
    const [sns] = combineGatewayReports([
      report('a', [status('sns', { submitsPerSecond: 30, errorRate: 0.1, failovers: 2, stateChanges: 1 })]),
      report('b', [status('sns', { submitsPerSecond: 10, errorRate: 0.5, failovers: 1 })]),
    ]);
    expect(sns).toEqual({
      id: 'sns',
      state: 'up',
      since: '2026-11-29T03:00:00.000Z',
      messagesPerSecond: 20,
      submitsPerSecond: 40,
      errorRate: (30 * 0.1 + 10 * 0.5) / 40,
      failovers: 3,
      stateChanges: 1,
      details: { senders: 2 },
    });
  });

  it('shows a gateway as bad as the worst sender finds it, since the earliest of those', () => {
    const combined = combineGatewayReports([
      report('a', [status('smpp'), status('http', { state: 'recovering', since: '2026-11-29T03:50:00.000Z' })]),
      report('b', [
        status('smpp', { state: 'down', since: '2026-11-29T03:58:00.000Z' }),
        status('http', { state: 'down', since: '2026-11-29T03:59:00.000Z' }),
      ]),
      report('c', [status('smpp', { state: 'down', since: '2026-11-29T03:57:00.000Z' }), status('http', { state: 'recovering' })]),
    ]);
    expect(combined.map(({ id, state, since }) => ({ id, state, since }))).toEqual([
      { id: 'http', state: 'down', since: '2026-11-29T03:59:00.000Z' },
      { id: 'smpp', state: 'down', since: '2026-11-29T03:57:00.000Z' },
    ]);
  });

  it('keeps the error rate of an idle gateway, and an unlimited rate unlimited', () => {
    const [idle] = combineGatewayReports([
      report('a', [status('sns', { submitsPerSecond: 0, errorRate: 0.4, messagesPerSecond: undefined })]),
      report('b', [status('sns', { submitsPerSecond: 0, errorRate: 0 })]),
    ]);
    expect(idle).toMatchObject({ submitsPerSecond: 0, errorRate: 0.4, messagesPerSecond: undefined });
  });

  it('shows nothing when no sender reported', () => {
    expect(combineGatewayReports([])).toEqual([]);
  });
});
