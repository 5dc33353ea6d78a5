/**
 * Amazon SNS as an SMS gateway: one Publish to a phone number per message, as a Transactional SMS from
 * the registered sender ID. In Vietnam SNS only delivers from a sender ID registered with the carriers and
 * with templates registered in advance; the account's SMS spend limit (MonthlySpendLimit, USD) stops
 * sending within minutes of being crossed, and messages then fail in the delivery status logs, not here.
 *
 * Delivery reports do not come back through this class: SNS writes every SMS's delivery status to
 * CloudWatch Logs, and a subscription filter hands them to the ingester (delivery-status-logs.ts). The
 * MessageId returned by Publish is the `notification.messageId` of those lines, which is how a report finds
 * its receipt.
 *
 * Rate. SNS counts its SMS throughput in message parts a second, as the dispatcher's rate limiter does
 * (it takes `campaign.sms.parts` tokens a message), so `messagesPerSecond` is the account's parts quota.
 */
import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import type { Gateway, OutgoingSms, SubmitResult } from '../../core/ports.js';
import { maskPhone } from '../../core/subscribers/phone-number.js';
import { SnsConfigError } from './errors.js';
import { outcomeOfSnsError } from './sns-outcomes.js';

export const SNS_GATEWAY_ID = 'sns';

export interface SnsGatewayConfig {
  /** The gateway's id in receipts and metrics; the delivery-report ingester must use the same. Default 'sns'. */
  id?: string;
  /** The registered sender ID (brandname): 1-11 letters and digits, at least one letter. */
  senderId: string;
  /** See the module's comment: messages, not parts, a second; undefined for no limit of Loa's own. */
  messagesPerSecond?: number;
  /** Highest price in USD the account accepts for one message (AWS.SNS.SMS.MaxPrice); none by default. */
  maxPriceUsd?: number;
}

const SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/;
/** A Publish that got no answer in this long is given up, as uncertain. */
const REQUEST_TIMEOUT_MS = 10_000;
/** A connection not made in this long was never a request: definitely not sent. */
const CONNECTION_TIMEOUT_MS = 3_000;

/**
 * The client every SNS gateway is given: one attempt per call. Publish has no idempotency token, so a
 * retry by the SDK after a lost answer would send a second SMS.
 */
export function snsClient(): SNSClient {
  return new SNSClient({
    maxAttempts: 1,
    requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true, connectionTimeout: CONNECTION_TIMEOUT_MS },
  });
}
const E164 = /^\+[1-9]\d{6,14}$/;

export class SnsGateway implements Gateway {
  readonly id: string;
  readonly messagesPerSecond: number | undefined;
  /** SNS sends a repeated Publish again: an uncertain submit fails rather than risk a double SMS. */
  readonly dropsRepeats = false;
  private readonly attributes: NonNullable<PublishCommandInput['MessageAttributes']>;

  constructor(
    readonly client: SNSClient,
    config: SnsGatewayConfig,
  ) {
    if (!SENDER_ID.test(config.senderId)) {
      throw new SnsConfigError(`Invalid SMS sender ID "${config.senderId}": 1-11 letters and digits, at least one letter`);
    }
    if (config.messagesPerSecond !== undefined && !(config.messagesPerSecond > 0)) {
      throw new SnsConfigError(`messagesPerSecond must be positive, got ${config.messagesPerSecond}`);
    }
    if (config.maxPriceUsd !== undefined && !(config.maxPriceUsd > 0)) {
      throw new SnsConfigError(`maxPriceUsd must be positive, got ${config.maxPriceUsd}`);
    }
    this.id = config.id ?? SNS_GATEWAY_ID;
    this.messagesPerSecond = config.messagesPerSecond;
    this.attributes = {
      'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: config.senderId },
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
      ...(config.maxPriceUsd !== undefined && {
        'AWS.SNS.SMS.MaxPrice': { DataType: 'Number', StringValue: String(config.maxPriceUsd) },
      }),
    };
  }

  async submit(message: OutgoingSms): Promise<SubmitResult> {
    if (!E164.test(message.to)) {
      return { outcome: 'permanent', reason: `not an E.164 phone number: ${maskPhone(message.to)}` };
    }
    try {
      const output = await this.client.send(
        new PublishCommand({ PhoneNumber: message.to, Message: message.text, MessageAttributes: this.attributes }),
      );
      // Never seen; without an id no delivery report could find the receipt, so it is not "accepted", but
      // SNS has the message: uncertain, never sent again.
      if (!output.MessageId) return { outcome: 'transient', reason: 'SNS accepted the message without a MessageId', uncertain: true };
      return { outcome: 'accepted', messageId: output.MessageId };
    } catch (error) {
      return outcomeOfSnsError(error);
    }
  }
}
