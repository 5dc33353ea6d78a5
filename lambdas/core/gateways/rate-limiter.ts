import type { Clock } from '../ports.js';

export type Sleep = (ms: number) => Promise<void>;

/** What the dispatcher waits on before each submit: a gateway's rate, in message parts a second. */
export interface Limiter {
  take(parts?: number): Promise<void>;
}

/**
 * The limiter of a gateway, undefined for one without a rate. One per gateway and process: the embedded
 * runtime's is the in-process RateLimiter; on AWS it is a bucket in DynamoDB shared by every sender.
 */
export type LimiterFactory = (gateway: { id: string; messagesPerSecond: number | undefined }) => Limiter | undefined;

/**
 * A token bucket shared by every sender of one gateway (one per gateway, never one per worker, or
 * the rate multiplies by the number of workers). It holds at most one second's worth of tokens.
 */
export class RateLimiter implements Limiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock,
    private readonly sleep: Sleep,
  ) {
    this.tokens = perSecond;
    this.last = clock.now().getTime();
  }

  /**
   * Waits until `cost` tokens (message parts) are available and takes them. A message longer than a
   * second's worth of parts waits for a full bucket rather than forever.
   */
  async take(parts = 1): Promise<void> {
    const cost = Math.min(parts, this.perSecond);
    for (;;) {
      const now = this.clock.now().getTime();
      this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      if (this.tokens >= cost) {
        this.tokens -= cost;
        return;
      }
      await this.sleep(Math.ceil(((cost - this.tokens) / this.perSecond) * 1000));
    }
  }
}
