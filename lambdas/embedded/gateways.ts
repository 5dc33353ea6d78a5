import { HttpGateway } from '../adapters/http-gateway/http-gateway.js';
import { readDeliveryReportWebhook } from '../adapters/http-gateway/delivery-report-webhook.js';
import { CarrierSimulator, type SimulatorOptions } from '../adapters/simulator/carrier-simulator.js';
import { SmppGateway } from '../adapters/smpp/smpp-gateway.js';
import { SmscSimulator } from '../adapters/smpp/smsc-simulator.js';
import { eumGatewayOf } from '../adapters/eum/eum-gateway.js';
import { SnsGateway, snsClient } from '../adapters/sns/sns-gateway.js';
import type { SendingRoute } from '../core/config.js';
import { DEFAULT_HEALTH_POLICY } from '../core/gateways/gateway-health.js';
import { GatewayRouter } from '../core/gateways/gateway-router.js';
import type { Clock, DeliveryReportSink, DeliveryReportWebhook, Gateway } from '../core/ports.js';
import { resolveSecrets, type GatewayConfig, type LoaConfigFile } from './loa-config.js';
import { log } from './log.js';

export interface RunningGateways {
  router: GatewayRouter;
  /** Each route's first gateway and its rate, for the estimate of how long a campaign takes to send. */
  sendingRoutes: SendingRoute[];
  webhooks: Map<string, DeliveryReportWebhook>;
  /** The built-in SMSC's port when no configuration names real gateways. */
  smscPort?: number;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The built-in carrier: an SMPP server on loopback, and the bind to it that every local run uses. */
const SIMULATOR_ID = 'simulator';
const SIMULATOR_WINDOW = 50;

/**
 * Starts the configured gateways, or without a configuration the built-in SMSC simulator and an SMPP
 * bind to it, so every local run speaks the protocol production uses.
 */
export async function startGateways(
  config: LoaConfigFile | undefined,
  simulator: SimulatorOptions & { smscPort: number },
  clock: Clock,
  onReport: DeliveryReportSink,
): Promise<RunningGateways> {
  const closers: (() => Promise<void> | void)[] = [];
  let smscPort: number | undefined;
  // Its `secret:` references are read from AWS Secrets Manager now, once.
  let file = config && (await resolveSecrets(config));
  if (!file) {
    const smsc = new SmscSimulator({ ...simulator, port: simulator.smscPort, record: false });
    const { port } = await smsc.start();
    smscPort = port;
    closers.push(() => smsc.close());
    log.info(`no gateway configured: sending over SMPP to the built-in SMSC simulator on 127.0.0.1:${port}`);
    file = {
      gateways: [builtInBind(port, simulator.messagesPerSecond)],
      routes: [{ carriers: ['*'], gateways: [SIMULATOR_ID] }],
      health: DEFAULT_HEALTH_POLICY,
    };
  }

  const gateways: Gateway[] = [];
  const webhooks = new Map<string, DeliveryReportWebhook>();
  for (const options of file.gateways) {
    const gateway = await startGateway(options, simulator, clock, onReport, closers);
    gateways.push(gateway);
    if (options.type === 'http' && options.deliveryReports) {
      webhooks.set(options.id, (request, now) => readDeliveryReportWebhook(options, request, now));
    }
  }

  const router = new GatewayRouter(gateways, file.routes, file.health, clock, sleep, {
    stateChanged: (change) =>
      log[change.to === 'down' ? 'warn' : 'info'](
        `gateway ${change.gatewayId}: ${change.from} -> ${change.to} (error rate ${(change.errorRate * 100).toFixed(0)}%)`,
      ),
  });
  const rates = new Map(gateways.map((gateway) => [gateway.id, gateway.messagesPerSecond]));
  const sendingRoutes = file.routes.map((route): SendingRoute => {
    const gatewayId = route.gateways[0]!;
    const partsPerSecond = rates.get(gatewayId);
    return { carriers: route.carriers, gatewayId, ...(partsPerSecond !== undefined && { partsPerSecond }) };
  });
  return {
    router,
    sendingRoutes,
    webhooks,
    ...(smscPort !== undefined && { smscPort }),
    close: async () => {
      // Binds first, so their unbind reaches the built-in SMSC before it stops.
      for (const close of closers.reverse()) await close();
    },
  };
}

async function startGateway(
  options: GatewayConfig,
  simulator: SimulatorOptions,
  clock: Clock,
  onReport: DeliveryReportSink,
  closers: (() => Promise<void> | void)[],
): Promise<Gateway> {
  switch (options.type) {
    case 'smpp': {
      const gateway = new SmppGateway(options, onReport, { log: (level, message) => log[level](`${options.id}: ${message}`) });
      await gateway.start().catch((error: Error) => {
        throw new Error(`gateway ${options.id}: ${error.message}`, { cause: error });
      });
      closers.push(() => gateway.close());
      return gateway;
    }
    case 'http':
      return new HttpGateway(options);
    case 'sns':
      // Reports of SNS come through CloudWatch Logs, which only the AWS deployment reads: here they expire.
      return new SnsGateway(snsClient(), {
        id: options.id,
        senderId: options.senderId,
        messagesPerSecond: options.tps,
        ...(options.maxPriceUsd !== undefined && { maxPriceUsd: options.maxPriceUsd }),
      });
    case 'eum':
      // Sent through a deployed stage's configuration set (EUM_CONFIGURATION_SET), its events reach that
      // stage on AWS, not this process: here the receipts expire, as with SNS.
      return eumGatewayOf(options, process.env.EUM_CONFIGURATION_SET || undefined);
    case 'in-process-simulator': {
      const gateway = new CarrierSimulator(
        { ...simulator, id: options.id, ...(options.tps !== undefined && { messagesPerSecond: options.tps }) },
        clock,
        onReport,
      );
      closers.push(() => gateway.close());
      return gateway;
    }
  }
}

function builtInBind(port: number, tps: number | undefined): GatewayConfig {
  return {
    id: SIMULATOR_ID,
    type: 'smpp',
    host: '127.0.0.1',
    port,
    systemId: 'loa',
    password: 'loa',
    systemType: '',
    sourceAddr: 'LOA',
    ...(tps !== undefined && { tps }),
    window: SIMULATOR_WINDOW,
    split: 'udh',
    bind: 'transceiver',
    responseTimeoutMs: 10_000,
    enquireLinkMs: 30_000,
    reconnectMinMs: 200,
    reconnectMaxMs: 5_000,
    messageIds: { submit: 'text', receipt: 'text' },
  };
}
