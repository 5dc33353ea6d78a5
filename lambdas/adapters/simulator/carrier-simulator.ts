import { closeSync, openSync, writeSync } from 'node:fs';
import type { Clock, DeliveryReportSink, Gateway, OutgoingSms, SubmitResult } from '../../core/ports.js';

export interface SimulatorOptions {
  id?: string;
  /** Delay between an accepted submit and its delivery report. */
  reportDelayMs: number;
  /** Shares of submits answered with a transient error or a permanent refusal (0..1). */
  transientErrorRate: number;
  permanentErrorRate: number;
  /** Share of accepted messages whose report says failed instead of delivered (0..1). */
  undeliveredRate: number;
  messagesPerSecond?: number;
  /** Appends each accepted message's reference to this file, as a carrier's own record of what it got. */
  submitLogFile?: string;
  random?: () => number;
}

export const DEFAULT_SIMULATOR: SimulatorOptions = {
  reportDelayMs: 500,
  transientErrorRate: 0,
  permanentErrorRate: 0,
  undeliveredRate: 0,
};

/**
 * A carrier in-process: accepts submits, returns message ids, and sends delivery reports after a delay,
 * with a configurable mix of failures. Reports are released in batches by one timer, not one timer a
 * message, so a million-message run stays light.
 */
export class CarrierSimulator implements Gateway {
  readonly id: string;
  readonly messagesPerSecond: number | undefined;
  private readonly pending: { dueAt: number; messageId: string; delivered: boolean }[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly random: () => number;
  private readonly submitLog: number | undefined;
  /** Ids are unique across restarts (start time) and ascending within a run, as carriers' often are. */
  private readonly idPrefix = `${Date.now().toString(36)}-`;
  private sequence = 0;

  constructor(
    private readonly options: SimulatorOptions,
    private readonly clock: Clock,
    private readonly sink: DeliveryReportSink,
  ) {
    this.id = options.id ?? 'simulator';
    this.messagesPerSecond = options.messagesPerSecond;
    this.random = options.random ?? Math.random;
    this.submitLog = options.submitLogFile === undefined ? undefined : openSync(options.submitLogFile, 'a');
    this.timer = setInterval(() => this.releaseReports(), Math.min(100, Math.max(10, options.reportDelayMs / 4)));
    this.timer.unref();
  }

  async submit(message: OutgoingSms): Promise<SubmitResult> {
    const roll = this.random();
    if (roll < this.options.permanentErrorRate) return { outcome: 'permanent', reason: 'simulated: unknown subscriber' };
    if (roll < this.options.permanentErrorRate + this.options.transientErrorRate) {
      return { outcome: 'transient', reason: 'simulated: carrier busy' };
    }
    if (this.submitLog !== undefined) writeSync(this.submitLog, `${message.reference}\n`);
    const messageId = `${this.idPrefix}${(this.sequence++).toString(36).padStart(8, '0')}`;
    this.pending.push({
      dueAt: this.clock.now().getTime() + this.options.reportDelayMs,
      messageId,
      delivered: this.random() >= this.options.undeliveredRate,
    });
    return { outcome: 'accepted', messageId };
  }

  /** Stops sending reports; those not yet due are dropped, as a carrier's would be lost. */
  close(): void {
    clearInterval(this.timer);
    if (this.submitLog !== undefined) closeSync(this.submitLog);
  }

  private releaseReports(): void {
    const now = this.clock.now().getTime();
    let due = 0;
    while (due < this.pending.length && this.pending[due]!.dueAt <= now) due++;
    if (due === 0) return;
    const at = new Date(now).toISOString();
    for (const report of this.pending.splice(0, due)) {
      this.sink({
        gatewayId: this.id,
        messageId: report.messageId,
        status: report.delivered ? 'delivered' : 'failed',
        at,
        ...(!report.delivered && { error: 'simulated: not delivered' }),
      });
    }
  }
}
