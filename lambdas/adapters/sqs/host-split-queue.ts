/**
 * The fan-out's Queue when gateways send from more than one host (on AWS: the sender Lambda for http, sns
 * and eum gateways, the SMPP service for smpp ones), each reading a send queue of its own. Each job is
 * split by the host its recipients go to (the host of the first gateway of their route, or of the gateway
 * they are pinned to), into one job per host named `<job id>:<host>`, queued on that host's queue. A
 * repeated slice gives the same ids, so it is as harmless as before (senders only send receipts still
 * queued).
 *
 * Taking, completing and rescheduling are the home queue's: the one this process reads, if any.
 */
import type { LeasedJob, Queue, Recipient, SendJob } from '../../core/ports.js';

export class HostSplitQueue<Host extends string> implements Queue {
  constructor(
    private readonly queues: Record<Host, Queue>,
    private readonly hostOf: (recipient: Recipient) => Host,
    private readonly home: Host,
  ) {}

  async enqueue(jobs: SendJob[]): Promise<void> {
    const byHost = new Map<Host, SendJob[]>();
    for (const job of jobs) {
      const recipients = new Map<Host, Recipient[]>();
      for (const recipient of job.recipients) {
        const host = this.hostOf(recipient);
        recipients.set(host, [...(recipients.get(host) ?? []), recipient]);
      }
      for (const [host, theirs] of recipients) {
        byHost.set(host, [...(byHost.get(host) ?? []), { ...job, id: `${job.id}:${host}`, recipients: theirs }]);
      }
    }
    await Promise.all([...byHost].map(([host, hostJobs]) => this.queues[host].enqueue(hostJobs)));
  }

  take(max: number, leaseMs: number): Promise<LeasedJob[]> {
    return this.queues[this.home].take(max, leaseMs);
  }

  complete(leased: LeasedJob): Promise<void> {
    return this.queues[this.home].complete(leased);
  }

  reschedule(leased: LeasedJob, next: SendJob, delayMs: number): Promise<void> {
    return this.queues[this.home].reschedule(leased, next, delayMs);
  }
}
