/**
 * The AWS path with the three kinds of gateway of one configuration (LOA_GATEWAYS), in one process: a
 * scheduled campaign whose Viettel numbers go through an eSMS-style HTTP provider on loopback, its
 * delivery reports calling back the public `/v1/dlr/esms` route of the API Lambda; whose MobiFone numbers
 * go, split by the fan-out onto the SMPP send queue, through the SMPP service (as on Fargate) bound to the
 * SMSC simulator, its receipts coming back on the bind; and whose other numbers go through End User
 * Messaging (SendTextMessage mocked), its delivery events fed to their ingester as the configuration set's
 * topic and queue would. The handlers and the driver are aws-driver.ts's, on DynamoDB Local.
 */
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PinpointSMSVoiceV2Client, SendTextMessageCommand, type SendTextMessageCommandInput } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { sharedRateLimiters } from '../../lambdas/adapters/dynamodb/dynamodb-rate-limiter.js';
import { createTable } from '../../lambdas/adapters/dynamodb/table.js';
import { SmscSimulator } from '../../lambdas/adapters/smpp/smsc-simulator.js';
import { storesIn } from '../../lambdas/core/ports.js';
import { carrierFromPrefix } from '../../lambdas/core/subscribers/carriers.js';
import { makeEumDeliveryEventsLambda } from '../../lambdas/handlers/eum-delivery-events.js';
import { jsonLog, type LogFields } from '../../lambdas/smpp-service/log.js';
import { startSmppHost } from '../../lambdas/smpp-service/smpp-host.js';
import { startSmppService, type SmppService } from '../../lambdas/smpp-service/smpp-service.js';
import { ESMS_API_KEY, ESMS_WEBHOOK_TOKEN, esmsOptions } from '../adapters/http-gateway/esms-options.js';
import { FakeProvider } from '../adapters/http-gateway/fake-provider.js';
import { InMemorySqs, SMPP_QUEUE_URL } from '../smpp-service/in-memory-sqs.js';
import { AwsWorld } from './aws-driver.js';
import { LOCAL_CLIENT_CONFIG, REGION } from './aws-test-env.js';
import { PEOPLE, allReceipts, setUpCampaignViaApi, type CampaignSetup } from './campaign-via-api.js';
import { lambdaContext, sqsRecord } from './lambda-events.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const endpoint = inject('dynamoDbEndpoint');
const tableName = `loa-aws-3gw-${randomBytes(4).toString('hex')}`;
const admin = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint });
const SUBSCRIBERS = 60;
const OPT_OUTS = 2;
const CONFIGURATION_SET = 'loa-dev-sms';
const SMPP_PASSWORD = 'smpp-pw';

/** The stack's LOA_GATEWAYS: each gateway's credentials in Secrets Manager, routes by carrier. */
function gatewaysFile(providerUrl: string, smscPort: number) {
  const esms = esmsOptions(providerUrl);
  return {
    gateways: [
      {
        ...esms,
        type: 'http',
        tps: 100,
        request: { ...esms.request, fields: { ...esms.request.fields, ApiKey: 'secret:loa/esms#apiKey' } },
        deliveryReports: { ...esms.deliveryReports!, auth: { type: 'token', param: 'token', secret: 'secret:loa/esms#webhookToken' } },
      },
      {
        id: 'smpp-mobifone',
        type: 'smpp',
        host: '127.0.0.1',
        port: smscPort,
        systemId: 'loa',
        password: 'secret:loa/smpp-mobifone#password',
        sourceAddr: 'TTTT-DNAI',
        tps: 100,
        responseTimeoutMs: 2_000,
        reconnectMinMs: 20,
        reconnectMaxMs: 200,
      },
      { id: 'eum', type: 'eum', originationIdentity: 'SoTTTT', tps: 100, timeToLiveSeconds: 3_600 },
    ],
    routes: [
      { carriers: ['viettel'], gateways: ['esms'] },
      { carriers: ['mobifone'], gateways: ['smpp-mobifone'] },
      { carriers: ['vinaphone', '*'], gateways: ['eum'] },
    ],
  };
}

/** A final SMS event as the configuration set publishes it for a message End User Messaging took. */
function deliveredEvent(input: SendTextMessageCommandInput, messageId: string, at: Date): string {
  return JSON.stringify({
    eventType: 'TEXT_DELIVERED',
    eventVersion: '1.0',
    eventTimestamp: at.getTime(),
    isFinal: true,
    originationPhoneNumber: input.OriginationIdentity,
    destinationPhoneNumber: input.DestinationPhoneNumber,
    isoCountryCode: 'VN',
    mcc: '452',
    mnc: '02',
    messageId,
    messageRequestTimestamp: at.getTime() - 2_000,
    messageEncoding: 'GSM',
    messageType: input.MessageType,
    messageStatus: 'DELIVERED',
    messageStatusDescription: 'Message has been accepted by phone',
    context: input.Context,
    totalMessageParts: 1,
    totalMessagePrice: 0.0268,
    totalCarrierFee: 0,
  });
}

/** National numbers (eSMS's phoneFormat) and SMPP's destination addresses back in E.164. */
const e164 = (phone: string) => (phone.startsWith('0') ? `+84${phone.slice(1)}` : `+${phone}`);
const sorted = (values: string[]) => [...values].sort();

describe('a campaign on the AWS path through an http, an smpp and an eum gateway', () => {
  const smsc = new SmscSimulator({
    systemId: 'loa',
    password: SMPP_PASSWORD,
    reportDelayMs: 5,
    transientErrorRate: 0,
    permanentErrorRate: 0,
    undeliveredRate: 0,
  });
  const smppQueue = new InMemorySqs();
  const eum = new PinpointSMSVoiceV2Client({ region: REGION, credentials: LOCAL_CLIENT_CONFIG.credentials });
  const eumMock = mockClient(eum);
  const eumSent: { input: SendTextMessageCommandInput; messageId: string }[] = [];
  const smppLog: (LogFields & { level: string; message: string })[] = [];
  const smppSecretReads: string[] = [];
  let provider: FakeProvider;
  let world: AwsWorld;
  let service: SmppService;
  let setup: CampaignSetup;

  beforeAll(async () => {
    await createTable(admin, tableName);
    const { port } = await smsc.start();
    provider = await FakeProvider.start();
    eumMock.on(SendTextMessageCommand).callsFake((input: SendTextMessageCommandInput) => {
      const messageId = `eum-${eumSent.length + 1}`;
      eumSent.push({ input, messageId });
      return { MessageId: messageId };
    });
    const LOA_GATEWAYS = JSON.stringify(gatewaysFile(provider.baseUrl, port));
    world = new AwsWorld({
      endpoint,
      tableName,
      env: { LOA_GATEWAYS, SMPP_SEND_QUEUE_URL: SMPP_QUEUE_URL, EUM_CONFIGURATION_SET: CONFIGURATION_SET },
      secrets: {
        'loa/esms': JSON.stringify({ apiKey: ESMS_API_KEY, webhookToken: ESMS_WEBHOOK_TOKEN }),
      },
      eum,
      // The SMPP service's queue is read by the service, not by a Lambda: the fan-out's jobs go onto it.
      otherQueues: {
        [SMPP_QUEUE_URL]: async (body, delaySeconds) =>
          (await smppQueue.client.send(new SendMessageCommand({ QueueUrl: SMPP_QUEUE_URL, MessageBody: body, DelaySeconds: delaySeconds })))
            .MessageId!,
      },
      senderBatchSize: 5,
    });
    // Three slices of 20, each split into a job for the sender Lambda and one for the SMPP service.
    world.deps.config = { ...world.deps.config, sliceSize: 20 };

    // The SMPP service as main.ts starts it on Fargate, on the same table and the same LOA_GATEWAYS.
    const log = jsonLog({ level: 'info', write: (line) => smppLog.push(JSON.parse(line)) });
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    const table = { db: DynamoDBDocumentClient.from(world.dynamodb), tableName };
    service = await startSmppService({
      stores: storesIn(world.deps),
      sqs: smppQueue.client,
      queueUrl: SMPP_QUEUE_URL,
      gatewayBoard: world.deps.gatewayBoard,
      startGateways: (onReport) =>
        startSmppHost(
          {
            gatewaysJson: LOA_GATEWAYS,
            readSecret: async (id) => {
              smppSecretReads.push(id);
              return JSON.stringify({ password: SMPP_PASSWORD });
            },
            limiters: sharedRateLimiters(table, world.clock, sleep),
            clock: world.clock,
            sleep,
            log,
          },
          onReport,
        ),
      config: world.deps.config,
      clock: world.clock,
      log,
      sender: 'smpp/task-1',
      timing: { pollSeconds: 1, leaseMs: 60_000, reportEveryMs: 1_000, recordReportsEveryMs: 20 },
    });

    setup = await setUpCampaignViaApi(world, { subscribers: SUBSCRIBERS, optOuts: OPT_OUTS, startInSeconds: 120 });
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await provider?.stop();
    await smsc.close();
    await admin.send(new DeleteTableCommand({ TableName: tableName }));
    admin.destroy();
  });

  it('sends every recipient once through the gateway of its carrier, and records every delivery', async () => {
    const byCarrier = (wanted: (carrier: string | undefined) => boolean) =>
      setup.recipients.filter((phone) => wanted(carrierFromPrefix(phone)));
    const viettel = byCarrier((carrier) => carrier === 'viettel');
    const mobifone = byCarrier((carrier) => carrier === 'mobifone');
    const others = byCarrier((carrier) => carrier !== 'viettel' && carrier !== 'mobifone');
    expect([viettel.length, mobifone.length, others.length]).toEqual([18, 16, 24]);

    expect(await world.fireDueSchedules()).toBe(1);
    await world.drain();

    // eSMS calls the CallbackUrl back with GET, one report a message, the token in the query.
    const reportToEsms = (token: string, smsId: string) =>
      world.api('GET', '/v1/dlr/esms', {
        query: { token, SMSID: smsId, SendSuccess: '1', SendFailed: '0', SendStatus: '5', RequestId: '', telcoid: '1' },
      });
    expect(await reportToEsms('not-the-token', 'sms-1')).toMatchObject({ status: 401 });
    for (const index of provider.requests.keys()) {
      expect(await reportToEsms(ESMS_WEBHOOK_TOKEN, `sms-${index + 1}`)).toEqual({ status: 200, body: { received: 1, applied: 1 } });
    }

    // The configuration set's events, through its topic and queue, to their ingester in batches of ten.
    const ingestEvents = makeEumDeliveryEventsLambda(() => world.deps);
    const at = world.clock.now();
    for (let start = 0; start < eumSent.length; start += 10) {
      const records = eumSent.slice(start, start + 10).map(({ input, messageId }) =>
        sqsRecord('loa-dev-eum-events', {
          messageId: `event-${messageId}`,
          receiptHandle: `handle-${messageId}`,
          body: deliveredEvent(input, messageId, at),
          sentAt: at.getTime(),
          receiveCount: 1,
        }),
      );
      const ingested = await ingestEvents({ Records: records }, lambdaContext('eum-delivery-events', 60_000));
      expect(ingested).toMatchObject({ reports: records.length, applied: records.length, unmatched: 0, rejected: 0 });
    }

    // The SMSC's receipts come back on the SMPP service's bind.
    await vi.waitFor(
      async () => expect((await world.deps.receipts.campaignCounts(setup.campaignId)).delivered).toBe(setup.recipients.length),
      { timeout: 20_000, interval: 100 },
    );
    const janitor = await world.runJanitor();
    expect(janitor.finishedRuns).toEqual([{ campaignId: setup.campaignId, runId: expect.stringMatching(/^run_/) }]);

    expect(sorted(provider.jsonBodies().map((body) => e164(String(body.Phone))))).toEqual(sorted(viettel));
    expect(sorted(smsc.received().map((sms) => e164(sms.to)))).toEqual(sorted(mobifone));
    expect(sorted(eumSent.map(({ input }) => input.DestinationPhoneNumber!))).toEqual(sorted(others));
    expect(world.snsMock.commandCalls(PublishCommand)).toHaveLength(0);
    // The fan-out split each slice by host: the SMPP service's queue got the MobiFone recipients only.
    const smppJobs = smppQueue.mock
      .commandCalls(SendMessageCommand)
      .map((call) => JSON.parse(call.args[0].input.MessageBody!) as { id: string; recipients: { phone: string }[] });
    expect(smppJobs.map((job) => job.id)).toEqual(Array.from({ length: 3 }, () => expect.stringMatching(/:smpp$/)));
    expect(sorted(smppJobs.flatMap((job) => job.recipients.map((recipient) => recipient.phone)))).toEqual(sorted(mobifone));

    const [first] = eumSent;
    expect(first!.input).toEqual({
      OriginationIdentity: 'SoTTTT',
      MessageType: 'TRANSACTIONAL',
      ConfigurationSetName: CONFIGURATION_SET,
      TimeToLive: 3_600,
      DestinationPhoneNumber: first!.input.DestinationPhoneNumber,
      MessageBody: setup.text,
      Context: {
        loaGateway: 'eum',
        loaCampaign: setup.campaignId,
        loaRun: janitor.finishedRuns[0]!.runId,
        loaPhone: first!.input.DestinationPhoneNumber,
      },
    });
    expect(provider.jsonBodies()[0]).toMatchObject({ ApiKey: ESMS_API_KEY, Content: setup.text, Brandname: 'UBNDDONGNAI' });

    const receipts = await allReceipts(world, setup.campaignId);
    const gatewayOf = new Map([
      ...viettel.map((phone) => [phone, 'esms'] as const),
      ...mobifone.map((phone) => [phone, 'smpp-mobifone'] as const),
      ...others.map((phone) => [phone, 'eum'] as const),
    ]);
    expect(sorted(receipts.map((receipt) => receipt.phone))).toEqual(sorted(setup.recipients));
    for (const receipt of receipts) {
      expect(receipt).toMatchObject({ status: 'delivered', gatewayId: gatewayOf.get(receipt.phone) });
    }

    const campaign = await world.api('GET', `/v1/campaigns/${setup.campaignId}`, { as: PEOPLE.viewer });
    expect(campaign.body).toMatchObject({
      status: 'completed',
      counts: { total: setup.recipients.length, delivered: setup.recipients.length, queued: 0, submitted: 0, failed: 0, expired: 0 },
    });
    expect((await world.api('GET', '/v1/delivery-reports/unmatched', { as: PEOPLE.viewer })).body).toMatchObject({ count: 0 });
    // The sender Lambdas and the SMPP service post their gateways' health to one board.
    const board = await world.api('GET', '/v1/gateways', { as: PEOPLE.viewer });
    expect(sorted(board.body.items.map((gateway: { id: string }) => gateway.id))).toEqual(['esms', 'eum', 'smpp-mobifone']);
    expect(board.body.items.every((gateway: { state: string }) => gateway.state === 'up')).toBe(true);

    await service.stop();
    expect(world.errors).toEqual([]);
    expect(world.deadLetters).toEqual({ fanOut: [], send: [] });
    expect(smppQueue.messages).toEqual([]);
    expect(smppLog.filter((line) => line.level === 'error' || line.level === 'warn')).toEqual([]);
    // Each host reads only its own gateways' secrets, once.
    expect(world.secretRequests.filter((id) => id.startsWith('loa/'))).toEqual(['loa/esms']);
    expect(smppSecretReads).toEqual(['loa/smpp-mobifone']);
  }, 60_000);
});
