/**
 * AWS End User Messaging SMS (the pinpoint-sms-voice-v2 API) as an SMS gateway: one SendTextMessage per
 * message, TRANSACTIONAL, from the configured origination identity (a registered sender ID, a pool, or
 * their ARN when shared from another account), through the stage's configuration set.
 *
 * Delivery reports come back as events of that configuration set (its event destination feeds the
 * delivery-event Lambda, delivery-events.ts). Each event carries the `Context` given here, which names the
 * gateway and the receipt (campaign, run, phone): no look-up by message id is kept (`reportsNameReceipt`).
 *
 * No double sends: SendTextMessage has no idempotency token, so the client makes one attempt only
 * (`eumClient`) and an answer that never came is uncertain; the dispatcher then fails the message rather
 * than send it again (`dropsRepeats` false).
 */
import { PinpointSMSVoiceV2Client, SendTextMessageCommand, type SendTextMessageCommandInput } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { Gateway, OutgoingSms, SubmitResult } from '../../core/ports.js';
import { maskPhone } from '../../core/subscribers/phone-number.js';
import { EumConfigError } from './errors.js';
import { outcomeOfEumError } from './eum-outcomes.js';

export interface EumGatewayOptions {
  id: string;
  /** SenderId, PoolId, or the ARN of either (required when the identity is shared from another account). */
  originationIdentity: string;
  /**
   * The stage's configuration set (EUM_CONFIGURATION_SET): where the delivery events go. Required on AWS;
   * the embedded runtime may send without one (its receipts then expire, as with SNS).
   */
  configurationSetName?: string;
  /** Message parts a second, across all senders; undefined for no limit of Loa's own. */
  messagesPerSecond?: number;
  /** How long End User Messaging keeps trying to deliver; 72 h (its own longest, and the receipts' expiry) by default. */
  timeToLiveSeconds?: number;
  /** Highest price in USD the account accepts for one message part; none by default. */
  maxPrice?: number;
}

/** The Context keys a message carries to its delivery events. */
export const CONTEXT_KEYS = { gatewayId: 'loaGateway', campaignId: 'loaCampaign', runId: 'loaRun', phone: 'loaPhone' } as const;

export const DEFAULT_TIME_TO_LIVE_SECONDS = 72 * 3600;
/** End User Messaging's bounds on TimeToLive. */
const TIME_TO_LIVE = { min: 5, max: 259_200 };
const IDENTITY = /^[A-Za-z0-9_:/+-]{1,256}$/;
const CONFIGURATION_SET = /^[A-Za-z0-9_:/-]{1,256}$/;
const E164 = /^\+[1-9]\d{6,14}$/;
/** A request that got no answer in this long is given up, as uncertain. */
const REQUEST_TIMEOUT_MS = 10_000;
/** A connection not made in this long was never a request: definitely not sent. */
const CONNECTION_TIMEOUT_MS = 3_000;

/** The client every EUM gateway is given: one attempt per call, so a lost answer is never sent again. */
export function eumClient(): PinpointSMSVoiceV2Client {
  return new PinpointSMSVoiceV2Client({
    maxAttempts: 1,
    requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true, connectionTimeout: CONNECTION_TIMEOUT_MS },
  });
}

/** An `eum` entry of the gateways file (settings/gateways-file.ts), as both runtimes start it. */
export interface EumGatewayConfig {
  id: string;
  originationIdentity: string;
  tps: number;
  timeToLiveSeconds?: number | undefined;
  maxPrice?: number | undefined;
}

export function eumGatewayOf(config: EumGatewayConfig, configurationSetName: string | undefined, client = eumClient()): EumGateway {
  return new EumGateway(client, {
    id: config.id,
    originationIdentity: config.originationIdentity,
    messagesPerSecond: config.tps,
    ...(configurationSetName !== undefined && { configurationSetName }),
    ...(config.timeToLiveSeconds !== undefined && { timeToLiveSeconds: config.timeToLiveSeconds }),
    ...(config.maxPrice !== undefined && { maxPrice: config.maxPrice }),
  });
}

export class EumGateway implements Gateway {
  readonly id: string;
  readonly messagesPerSecond: number | undefined;
  readonly dropsRepeats = false;
  readonly reportsNameReceipt = true;
  private readonly fixed: Omit<SendTextMessageCommandInput, 'DestinationPhoneNumber' | 'MessageBody' | 'Context'>;

  constructor(
    readonly client: PinpointSMSVoiceV2Client,
    options: EumGatewayOptions,
  ) {
    if (!IDENTITY.test(options.originationIdentity)) {
      throw new EumConfigError(`gateway ${options.id}: invalid originationIdentity "${options.originationIdentity}"`);
    }
    if (options.configurationSetName !== undefined && !CONFIGURATION_SET.test(options.configurationSetName)) {
      throw new EumConfigError(`gateway ${options.id}: invalid configuration set name "${options.configurationSetName}"`);
    }
    const ttl = options.timeToLiveSeconds ?? DEFAULT_TIME_TO_LIVE_SECONDS;
    if (!Number.isInteger(ttl) || ttl < TIME_TO_LIVE.min || ttl > TIME_TO_LIVE.max) {
      throw new EumConfigError(`gateway ${options.id}: timeToLiveSeconds must be ${TIME_TO_LIVE.min} to ${TIME_TO_LIVE.max}, got ${ttl}`);
    }
    if (options.messagesPerSecond !== undefined && !(options.messagesPerSecond > 0)) {
      throw new EumConfigError(`gateway ${options.id}: messagesPerSecond must be positive, got ${options.messagesPerSecond}`);
    }
    if (options.maxPrice !== undefined && !(options.maxPrice > 0)) {
      throw new EumConfigError(`gateway ${options.id}: maxPrice must be positive, got ${options.maxPrice}`);
    }
    this.id = options.id;
    this.messagesPerSecond = options.messagesPerSecond;
    this.fixed = {
      OriginationIdentity: options.originationIdentity,
      MessageType: 'TRANSACTIONAL',
      ...(options.configurationSetName !== undefined && { ConfigurationSetName: options.configurationSetName }),
      TimeToLive: ttl,
      ...(options.maxPrice !== undefined && { MaxPrice: String(options.maxPrice) }),
    };
  }

  async submit(message: OutgoingSms): Promise<SubmitResult> {
    if (!E164.test(message.to)) return { outcome: 'permanent', reason: `not an E.164 phone number: ${maskPhone(message.to)}` };
    const receipt = receiptOfReference(message.reference);
    if (!receipt) return { outcome: 'permanent', reason: 'reference is not campaign:run:phone' };
    try {
      const output = await this.client.send(
        new SendTextMessageCommand({
          ...this.fixed,
          DestinationPhoneNumber: message.to,
          MessageBody: message.text,
          Context: {
            [CONTEXT_KEYS.gatewayId]: this.id,
            [CONTEXT_KEYS.campaignId]: receipt.campaignId,
            [CONTEXT_KEYS.runId]: receipt.runId,
            [CONTEXT_KEYS.phone]: receipt.phone,
          },
        }),
      );
      // Accepted without an id: it was sent, the events still name the receipt, so never send it again.
      if (!output.MessageId) return { outcome: 'transient', reason: 'End User Messaging answered without a MessageId', uncertain: true };
      return { outcome: 'accepted', messageId: output.MessageId };
    } catch (error) {
      return outcomeOfEumError(error);
    }
  }
}

/** `campaignId:runId:phone`, as the dispatcher writes OutgoingSms.reference. */
function receiptOfReference(reference: string): { campaignId: string; runId: string; phone: string } | undefined {
  const [campaignId, runId, phone, ...rest] = reference.split(':');
  if (!campaignId || !runId || !phone || rest.length > 0) return undefined;
  return { campaignId, runId, phone };
}
