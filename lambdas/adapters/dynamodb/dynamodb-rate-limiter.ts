/**
 * A gateway's rate shared by all its senders on AWS (sender Lambdas, SMPP service tasks, failover traffic
 * from other routes): one item a gateway and second, `RATE#<gatewayId>` / `<epoch second>`, counting the
 * message parts taken in that second. A sender claims parts with a conditional ADD that never takes the
 * count over the gateway's rate, so the senders together stay within it whatever their number.
 *
 * Writes are few: a sender claims a chunk of a quarter of a second's parts (or what one message needs, if
 * more) and takes its messages' parts from that chunk in memory; it writes a few times a second, not per
 * message. Parts claimed and not used in their second are lost, not carried over: at most one chunk per
 * sender and second, the price of never exceeding the rate. When the second is full the sender waits for
 * the next one. A claim slower than the rest of its second is used in the next: only then may a second carry
 * one chunk a sender more than the rate. Items expire by TTL a minute after their second.
 *
 * A rate below one part a second is rounded up to one (the bucket counts whole parts in whole seconds).
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Limiter, LimiterFactory, Sleep } from '../../core/gateways/rate-limiter.js';
import type { Clock } from '../../core/ports.js';
import { isConditionFailed } from './items.js';
import { keys } from './keys.js';
import { TTL_ATTRIBUTE } from './table.js';

/** Claims a sender makes in a second at most while it has the bucket to itself. */
export const CLAIMS_PER_SECOND = 4;
const KEEP_S = 60;

export interface RateBucketTable {
  db: DynamoDBDocumentClient;
  tableName: string;
}

export class DynamoDbRateLimiter implements Limiter {
  private readonly perSecond: number;
  private readonly chunk: number;
  private second = Number.NaN;
  /** Parts claimed in `second` and not taken yet. */
  private held = 0;

  constructor(
    private readonly table: RateBucketTable,
    private readonly gatewayId: string,
    perSecond: number,
    private readonly clock: Clock,
    private readonly sleep: Sleep,
  ) {
    this.perSecond = Math.max(1, Math.floor(perSecond));
    this.chunk = Math.ceil(this.perSecond / CLAIMS_PER_SECOND);
  }

  /** Waits until `parts` (at most a second's worth) are claimed in the current second, and takes them. */
  async take(parts = 1): Promise<void> {
    const cost = Math.min(Math.max(1, Math.ceil(parts)), this.perSecond);
    for (;;) {
      const second = this.currentSecond();
      if (this.held >= cost) {
        this.held -= cost;
        return;
      }
      const claimed = await this.claim(second, Math.max(cost - this.held, this.chunk), cost - this.held);
      if (claimed > 0) {
        // A claim that came back after its second is still used, in the second it came back in: dropping it
        // would starve every sender whenever DynamoDB answers slower than the rest of a second.
        this.currentSecond();
        this.held += claimed;
        continue;
      }
      // The second is full: wait for the next one, unless it has come while claiming.
      const wait = (second + 1) * 1000 - this.clock.now().getTime();
      if (wait > 0) await this.sleep(wait);
    }
  }

  private currentSecond(): number {
    const second = Math.floor(this.clock.now().getTime() / 1000);
    if (second !== this.second) {
      this.second = second;
      this.held = 0;
    }
    return second;
  }

  /** Claims `wanted` parts of `second`, or what is left of it if at least `needed`; returns what it got (0: full). */
  private async claim(second: number, wanted: number, needed: number): Promise<number> {
    let amount = Math.min(wanted, this.perSecond);
    for (;;) {
      try {
        await this.table.db.send(
          new UpdateCommand({
            TableName: this.table.tableName,
            Key: keys.rateBucket(this.gatewayId, second),
            UpdateExpression: 'ADD taken :amount SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
            ConditionExpression: 'attribute_not_exists(taken) OR taken <= :most',
            ExpressionAttributeNames: { '#expiresAt': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':amount': amount, ':most': this.perSecond - amount, ':expiresAt': second + KEEP_S },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return amount;
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
        const left = this.perSecond - takenOf(error);
        if (left < needed) return 0;
        amount = Math.min(amount, left);
      }
    }
  }
}

/** The count the failed condition saw (the error's item is not unmarshalled by the document client); full if unknown. */
function takenOf(error: unknown): number {
  const taken = (error as { Item?: { taken?: { N?: string } | number } }).Item?.taken;
  if (taken === undefined) return Number.POSITIVE_INFINITY;
  return Number(typeof taken === 'object' ? taken.N : taken);
}

/** Each gateway with a rate gets a DynamoDbRateLimiter on the table; one without has none. */
export function sharedRateLimiters(table: RateBucketTable, clock: Clock, sleep: Sleep): LimiterFactory {
  return (gateway) =>
    gateway.messagesPerSecond ? new DynamoDbRateLimiter(table, gateway.id, gateway.messagesPerSecond, clock, sleep) : undefined;
}
