import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_POLICY, type GatewayStateChange, type HealthPolicy } from '../../../lambdas/core/gateways/gateway-health.js';
import { GatewayRouter, type Route } from '../../../lambdas/core/gateways/gateway-router.js';
import type { Gateway, Recipient, SubmitResult } from '../../../lambdas/core/ports.js';

const gateway = (id: string, messagesPerSecond?: number): Gateway => ({
  id,
  messagesPerSecond,
  submit: async () => ({ outcome: 'accepted', messageId: 'x' }),
});

const ACCEPTED: SubmitResult = { outcome: 'accepted', messageId: 'm' };
const FAILED: SubmitResult = { outcome: 'transient', reason: 'ESME_RSYSERR' };

const ROUTES: Route[] = [
  { carriers: ['viettel'], gateways: ['viettel-smpp', 'aggregator'] },
  { carriers: ['*'], gateways: ['aggregator'] },
];

function newRouter(policy: Partial<HealthPolicy> = {}) {
  let now = Date.parse('2026-11-28T03:00:00Z');
  const changes: GatewayStateChange[] = [];
  const router = new GatewayRouter(
    [gateway('viettel-smpp', 100), gateway('aggregator')],
    ROUTES,
    { ...DEFAULT_HEALTH_POLICY, ...policy },
    { now: () => new Date(now) },
    async () => {},
    { stateChanged: (change) => changes.push(change) },
  );
  return { router, changes, advance: (ms: number) => (now += ms) };
}

const viettel: Recipient = { phone: '+84961234567', carrier: 'viettel' };
const picked = (router: GatewayRouter, recipient = viettel) => router.pick(recipient)?.gateway.id;

describe('routing by carrier', () => {
  it("sends a carrier's messages through the first gateway of its route, and unknown carriers through '*'", () => {
    const { router } = newRouter();
    expect(picked(router)).toBe('viettel-smpp');
    expect(picked(router, { phone: '+84912345678', carrier: 'vinaphone' })).toBe('aggregator');
    expect(picked(router, { phone: '+84551234567' })).toBe('aggregator');
  });

  it('gives each rated gateway one limiter shared by every message, and none to an unlimited one', () => {
    const { router } = newRouter();
    expect(router.pick(viettel)!.limiter).toBe(router.pick(viettel)!.limiter);
    expect(router.pick({ phone: '+84912345678' })!.limiter).toBeUndefined();
  });

  it('offers the next gateway of the route once the first was tried, and nothing after the last', () => {
    const { router } = newRouter();
    expect(router.pick(viettel, new Set(['viettel-smpp']))?.gateway.id).toBe('aggregator');
    expect(router.pick(viettel, new Set(['viettel-smpp', 'aggregator']))).toBeUndefined();
  });

  it('sends a message whose last answer was uncertain back to that gateway only', () => {
    const { router } = newRouter();
    expect(picked(router, { ...viettel, gatewayId: 'aggregator' })).toBe('aggregator');
    expect(router.pick({ ...viettel, gatewayId: 'aggregator' }, new Set(['aggregator']))).toBeUndefined();
  });

  it('refuses routes naming an unknown gateway, and a table without a route for any carrier', () => {
    const make = (routes: Route[]) => () =>
      new GatewayRouter([gateway('a')], routes, DEFAULT_HEALTH_POLICY, { now: () => new Date() }, async () => {});
    expect(make([{ carriers: ['*'], gateways: ['b'] }])).toThrow('names unknown gateway b');
    expect(make([{ carriers: ['viettel'], gateways: ['a'] }])).toThrow("no route for carriers ['*']");
  });
});

describe('failover with hysteresis', () => {
  it('takes a gateway failing half its submits out of its route, probes it after the cool-down and restores it once healthy', () => {
    const { router, changes, advance } = newRouter();
    for (let i = 0; i < 40; i++) {
      advance(100);
      router.record('viettel-smpp', i % 2 === 0 ? FAILED : ACCEPTED);
    }
    expect(router.status().find((status) => status.id === 'viettel-smpp')).toMatchObject({ state: 'down', stateChanges: 1 });
    expect(picked(router)).toBe('aggregator');

    advance(DEFAULT_HEALTH_POLICY.coolDownMs);
    const share = Array.from({ length: 100 }, () => picked(router)).filter((id) => id === 'viettel-smpp').length;
    expect(share).toBe(10);
    expect(router.status()[0]!.state).toBe('recovering');

    // Healthy probes, but not yet for long enough: still on probation.
    for (let i = 0; i < 30; i++) {
      advance(1_000);
      router.record('viettel-smpp', ACCEPTED);
    }
    expect(router.status()[0]!.state).toBe('recovering');
    advance(DEFAULT_HEALTH_POLICY.healthyForMs);
    router.record('viettel-smpp', ACCEPTED);
    expect(router.status()[0]!.state).toBe('up');
    expect(picked(router)).toBe('viettel-smpp');
    expect(changes.map(({ from, to }) => `${from}->${to}`)).toEqual(['up->down', 'down->recovering', 'recovering->up']);
  });

  it('sends a gateway on probation back down when its probes fail', () => {
    const { router, advance } = newRouter();
    for (let i = 0; i < 20; i++) router.record('viettel-smpp', FAILED);
    advance(DEFAULT_HEALTH_POLICY.coolDownMs);
    expect(router.status()[0]!.state).toBe('recovering');
    router.record('viettel-smpp', FAILED);
    router.record('viettel-smpp', FAILED);
    expect(router.status()[0]!.state).toBe('down');
  });

  it('does not trip on a few errors in a quiet window, nor on throttling or refused numbers', () => {
    const { router } = newRouter();
    for (let i = 0; i < 19; i++) router.record('viettel-smpp', FAILED);
    expect(router.status()[0]!.state).toBe('up');

    const other = newRouter().router;
    for (let i = 0; i < 100; i++) {
      other.record('viettel-smpp', { outcome: 'throttled', reason: 'ESME_RTHROTTLED' });
      other.record('viettel-smpp', { outcome: 'permanent', reason: 'ESME_RINVDSTADR' });
    }
    expect(other.status()[0]!.state).toBe('up');
  });

  it('forgets errors older than the window', () => {
    const { router, advance } = newRouter();
    for (let i = 0; i < 15; i++) router.record('viettel-smpp', FAILED);
    advance(DEFAULT_HEALTH_POLICY.windowMs + 1_000);
    for (let i = 0; i < 50; i++) router.record('viettel-smpp', ACCEPTED);
    for (let i = 0; i < 15; i++) router.record('viettel-smpp', FAILED);
    expect(router.status()[0]!.state).toBe('up');
  });

  it('still routes when every gateway of the route is out: to the first one', () => {
    const { router } = newRouter();
    for (let i = 0; i < 20; i++) {
      router.record('viettel-smpp', FAILED);
      router.record('aggregator', FAILED);
    }
    expect(picked(router)).toBe('viettel-smpp');
    expect(router.pick(viettel, new Set(['viettel-smpp']))).toBeUndefined();
  });

  it('reports each gateway with its rate, error rate and failovers', () => {
    const { router, advance } = newRouter();
    for (let i = 0; i < 10; i++) {
      advance(500);
      router.record('aggregator', i < 2 ? FAILED : ACCEPTED);
    }
    router.failedOver('viettel-smpp', 'aggregator');
    const [smpp, aggregator] = router.status();
    expect(smpp).toMatchObject({ id: 'viettel-smpp', state: 'up', messagesPerSecond: 100, failovers: 1 });
    expect(aggregator).toMatchObject({ id: 'aggregator', state: 'up', errorRate: 0.2, submitsPerSecond: 2 });
  });
});
