/**
 * The core's Metrics port on CloudWatch, through Powertools' embedded metric format (EMF): counts are
 * summed in memory per dimension set during an invocation and written by `flush()` as one EMF log line
 * per (gateway, carrier), so a sender that submits a thousand messages writes a handful of lines, not a
 * thousand. CloudWatch extracts the metrics from the log lines; no PutMetricData call is made.
 *
 * Dimensions are only `gateway` and `carrier` (never a phone number: the port's type has no room for one),
 * plus Powertools' `service`.
 */
import { Metrics as PowertoolsMetrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricName, Metrics } from '../../core/ports.js';

export type MetricDimensions = { gateway?: string; carrier?: string };

/** Writes the counts of one dimension set; the default writes one EMF line with Powertools. */
export type EmitCounts = (dimensions: Record<string, string>, counts: Record<string, number>) => void;

export const emitEmf: EmitCounts = (dimensions, counts) => {
  const line = new PowertoolsMetrics({ defaultDimensions: dimensions });
  for (const [name, value] of Object.entries(counts)) line.addMetric(name, MetricUnit.Count, value);
  line.publishStoredMetrics();
};

export class CloudWatchMetrics implements Metrics {
  private pending = new Map<string, { dimensions: Record<string, string>; counts: Record<string, number> }>();

  constructor(private readonly emit: EmitCounts = emitEmf) {}

  count(name: MetricName, value: number, dimensions: MetricDimensions): void {
    this.add(name, value, dimensions);
  }

  /** For counts outside the port's names (delivery-report lines rejected, reports matching nothing). */
  add(name: string, value: number, dimensions: MetricDimensions = {}): void {
    if (value === 0) return;
    const clean: Record<string, string> = {};
    if (dimensions.gateway) clean.gateway = dimensions.gateway;
    if (dimensions.carrier) clean.carrier = dimensions.carrier;
    const key = JSON.stringify([clean.gateway ?? '', clean.carrier ?? '']);
    const entry = this.pending.get(key) ?? { dimensions: clean, counts: {} };
    entry.counts[name] = (entry.counts[name] ?? 0) + value;
    this.pending.set(key, entry);
  }

  /** Writes and forgets what was counted since the last flush; called at the end of each invocation. */
  flush(): void {
    const pending = [...this.pending.values()];
    this.pending = new Map();
    for (const { dimensions, counts } of pending) this.emit(dimensions, counts);
  }
}
