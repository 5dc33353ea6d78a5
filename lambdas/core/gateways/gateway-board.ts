/**
 * On AWS many sender Lambdas send at once, each keeping its own gateway health (gateway-router.ts). Each
 * posts what it sees to the board now and then; the API shows the gateways as the senders see them together.
 */
import type { GatewayState } from './gateway-health.js';
import type { GatewayStatus } from './gateway-router.js';

/** One sending process's view of its gateways at one moment. */
export interface GatewayReport {
  /** Which process: on Lambda, its execution environment's log stream. */
  sender: string;
  at: string;
  gateways: GatewayStatus[];
}

export interface GatewayBoard {
  /** Replaces the sender's previous report. */
  post(report: GatewayReport): Promise<void>;
  /** The latest report of each sender that posted at or after `since`, in any order. */
  reportsSince(since: string): Promise<GatewayReport[]>;
}

const SEVERITY: Record<GatewayState, number> = { up: 0, recovering: 1, down: 2 };

/**
 * The gateways as the senders together see them: rates add up, the error rate is weighted by each
 * sender's traffic, a gateway is as bad as the worst sender finds it (since the earliest of those), and
 * `details.senders` says how many senders reported it.
 */
export function combineGatewayReports(reports: GatewayReport[]): GatewayStatus[] {
  const byGateway = new Map<string, GatewayStatus[]>();
  for (const report of reports) {
    for (const status of report.gateways) byGateway.set(status.id, [...(byGateway.get(status.id) ?? []), status]);
  }
  return [...byGateway.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, seen]) => {
      const worst = Math.max(...seen.map((status) => SEVERITY[status.state]));
      const worstSeen = seen.filter((status) => SEVERITY[status.state] === worst);
      const submitsPerSecond = sum(seen.map((status) => status.submitsPerSecond));
      const errors = sum(seen.map((status) => status.errorRate * status.submitsPerSecond));
      const configured = seen.map((status) => status.messagesPerSecond);
      return {
        id,
        state: worstSeen[0]!.state,
        since: worstSeen.map((status) => status.since).sort()[0]!,
        messagesPerSecond: configured.every((rate) => rate !== undefined) ? sum(configured as number[]) : undefined,
        submitsPerSecond,
        errorRate: submitsPerSecond > 0 ? errors / submitsPerSecond : Math.max(...seen.map((status) => status.errorRate)),
        failovers: sum(seen.map((status) => status.failovers)),
        stateChanges: sum(seen.map((status) => status.stateChanges)),
        details: { senders: seen.length },
      };
    });
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
