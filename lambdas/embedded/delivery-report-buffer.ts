import type { DeliveryReport } from '../core/ports.js';
import type { ReceiptStore } from '../core/receipts/receipt-store.js';

/**
 * Gathers delivery reports as the gateways emit them and records them in batches: one store
 * transaction per batch instead of one per report.
 */
export class DeliveryReportBuffer {
  private reports: DeliveryReport[] = [];

  constructor(private readonly receipts: ReceiptStore) {}

  readonly add = (report: DeliveryReport): void => {
    this.reports.push(report);
  };

  /** Records what has gathered; true when there was something to record. */
  async flush(): Promise<boolean> {
    if (this.reports.length === 0) return false;
    const batch = this.reports;
    this.reports = [];
    try {
      await this.receipts.recordDeliveryReports(batch);
    } catch (error) {
      this.reports = batch.concat(this.reports);
      throw error;
    }
    return true;
  }
}
