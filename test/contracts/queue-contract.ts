/**
 * The behaviour every Queue adapter must have. `open` gets a clock the test moves by hand, and is
 * called before each test for a queue of its own (an empty one).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock, Queue } from '../../lambdas/core/ports.js';
import { aSendJob } from '../factories.js';

export interface OpenedQueue {
  queue: Queue;
  close(): Promise<void>;
}

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  private ms: number;

  constructor(start = '2026-03-02T01:00:00.000Z') {
    this.ms = Date.parse(start);
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}

const LEASE_MS = 30_000;

export function describeQueueContract(adapterName: string, open: (clock: Clock) => Promise<OpenedQueue>): void {
  describe(`Queue contract: ${adapterName}`, () => {
    let clock: ManualClock;
    let opened: OpenedQueue;
    let queue: Queue;

    beforeEach(async () => {
      clock = new ManualClock();
      opened = await open(clock);
      queue = opened.queue;
    });

    afterEach(async () => {
      await opened.close();
    });

    it('hands out an enqueued job, and not again while it is leased', async () => {
      const job = aSendJob();
      await queue.enqueue([job]);

      const taken = await queue.take(10, LEASE_MS);

      expect(taken.map((t) => t.job)).toEqual([job]);
      expect(taken[0]?.lease).toEqual(expect.any(String));
      expect(await queue.take(10, LEASE_MS)).toEqual([]);
    });

    it('takes at most the number of jobs asked for', async () => {
      const jobs = Array.from({ length: 5 }, () => aSendJob());
      await queue.enqueue(jobs);

      const first = await queue.take(2, LEASE_MS);
      const rest = await queue.take(10, LEASE_MS);

      expect(first).toHaveLength(2);
      expect(rest).toHaveLength(3);
      expect([...first, ...rest].map((t) => t.job.id).sort()).toEqual(jobs.map((j) => j.id).sort());
    });

    it('does not queue a job whose id is already queued', async () => {
      const job = aSendJob();
      await queue.enqueue([job, { ...job, attempt: 7 }]);
      await queue.enqueue([{ ...job, attempt: 9 }]);

      const taken = await queue.take(10, LEASE_MS);

      expect(taken.map((t) => t.job)).toEqual([job]);
    });

    it('does not queue again a job that is leased', async () => {
      const job = aSendJob();
      await queue.enqueue([job]);
      await queue.take(1, LEASE_MS);

      await queue.enqueue([job]);

      expect(await queue.take(10, LEASE_MS)).toEqual([]);
    });

    it('accepts an empty batch', async () => {
      await queue.enqueue([]);
      expect(await queue.take(10, LEASE_MS)).toEqual([]);
    });

    it('makes a job visible again when its lease expires, as after a crash', async () => {
      const job = aSendJob();
      await queue.enqueue([job]);
      const first = await queue.take(1, LEASE_MS);

      clock.advance(LEASE_MS - 1);
      expect(await queue.take(1, LEASE_MS)).toEqual([]);
      clock.advance(1);
      const second = await queue.take(1, LEASE_MS);

      expect(second.map((t) => t.job)).toEqual([job]);
      expect(second[0]?.lease).not.toBe(first[0]?.lease);
    });

    it('removes a completed job for good', async () => {
      await queue.enqueue([aSendJob()]);
      const [leased] = await queue.take(1, LEASE_MS);

      await queue.complete(leased!);

      clock.advance(LEASE_MS * 10);
      expect(await queue.take(10, LEASE_MS)).toEqual([]);
    });

    it('ignores a stale lease once another worker took the job', async () => {
      const job = aSendJob();
      await queue.enqueue([job]);
      const [stale] = await queue.take(1, LEASE_MS);
      clock.advance(LEASE_MS);
      const [current] = await queue.take(1, LEASE_MS);

      await queue.complete(stale!);
      await queue.reschedule(stale!, { ...job, attempt: 5 }, 0);

      expect(await queue.take(1, LEASE_MS)).toEqual([]);
      clock.advance(LEASE_MS);
      const [again] = await queue.take(1, LEASE_MS);
      expect(again?.job).toEqual(job);
      expect(current?.job).toEqual(job);
    });

    it('replaces a rescheduled job and hands it out after the delay', async () => {
      const job = aSendJob({ attempt: 1 });
      await queue.enqueue([job]);
      const [leased] = await queue.take(1, LEASE_MS);
      const retry = { ...job, attempt: 2, recipients: job.recipients.slice(1) };

      await queue.reschedule(leased!, retry, 5_000);

      expect(await queue.take(10, LEASE_MS)).toEqual([]);
      clock.advance(4_999);
      expect(await queue.take(10, LEASE_MS)).toEqual([]);
      clock.advance(1);
      const taken = await queue.take(10, LEASE_MS);
      expect(taken.map((t) => t.job)).toEqual([retry]);

      await queue.complete(taken[0]!);
      clock.advance(LEASE_MS * 10);
      expect(await queue.take(10, LEASE_MS)).toEqual([]);
    });

    it('hands out a job rescheduled without delay at once', async () => {
      const job = aSendJob();
      await queue.enqueue([job]);
      const [leased] = await queue.take(1, LEASE_MS);

      await queue.reschedule(leased!, { ...job, attempt: 2 }, 0);

      expect((await queue.take(1, LEASE_MS)).map((t) => t.job.attempt)).toEqual([2]);
    });

    it('hands each job to one of several concurrent takers', async () => {
      const jobs = Array.from({ length: 12 }, () => aSendJob());
      await queue.enqueue(jobs);

      const taken = (await Promise.all([queue.take(5, LEASE_MS), queue.take(5, LEASE_MS), queue.take(5, LEASE_MS)])).flat();

      expect(taken.map((t) => t.job.id).sort()).toEqual(jobs.map((j) => j.id).sort());
    });
  });
}
