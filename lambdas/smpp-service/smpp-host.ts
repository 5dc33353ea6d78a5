/**
 * The SMPP service's gateways, from LOA_GATEWAYS (the stack's copy of loa.config.json, its `secret:`
 * references kept): the `smpp` gateways bound, and the router over them and the routes among them, as the
 * shared host builder makes it (handlers/host-gateways.ts): failover stays among this host's gateways,
 * only their secrets are read, and each gateway is paced by the bucket its other senders share.
 */
import { SmppGateway } from '../adapters/smpp/smpp-gateway.js';
import type { GatewayRouter } from '../core/gateways/gateway-router.js';
import type { LimiterFactory, Sleep } from '../core/gateways/rate-limiter.js';
import type { Clock, DeliveryReportSink } from '../core/ports.js';
import { hostRouter, readGatewaysJson, resolveHostGateways } from '../handlers/host-gateways.js';
import { type GatewayConfig, GatewaysFileError } from '../settings/gateways-file.js';
import type { ReadSecret } from '../settings/secret-references.js';
import type { Log } from './log.js';

export interface SmppHost {
  router: GatewayRouter;
  gatewayIds: string[];
  /** Lets the submits in flight get their answers, then unbinds every session. */
  close(): Promise<void>;
}

export interface SmppHostOptions {
  /** LOA_GATEWAYS: the configuration as JSON. */
  gatewaysJson: string;
  /** Secrets Manager's GetSecretValue: the SecretString of a secret, by name or ARN. */
  readSecret: ReadSecret;
  /** Each gateway's rate limiter: the DynamoDB buckets shared with the other senders. */
  limiters: LimiterFactory;
  clock: Clock;
  sleep: Sleep;
  log: Log;
}

/**
 * Reads the configuration, resolves the smpp gateways' secrets and binds them. A gateway whose SMSC refuses
 * the bind is left out (logged), so one carrier's SMSC in maintenance does not stop the others; its
 * messages fail over along their route or, with no gateway left, fail their job until the dead-letter
 * queue's alarm calls an operator. Rejects only when no gateway bound.
 */
export async function startSmppHost(options: SmppHostOptions, onReport: DeliveryReportSink): Promise<SmppHost> {
  const file = await resolveHostGateways(readGatewaysJson(options.gatewaysJson), 'smpp', options.readSecret);
  const configs = file.gateways.filter((gateway): gateway is Extract<GatewayConfig, { type: 'smpp' }> => gateway.type === 'smpp');
  if (configs.length === 0) throw new GatewaysFileError('LOA_GATEWAYS has no smpp gateway: the SMPP service has nothing to bind');
  const started: SmppGateway[] = [];
  const close = async () => {
    await Promise.all(started.map((gateway) => gateway.close()));
  };
  for (const config of configs) {
    const gateway = new SmppGateway(config, onReport, { log: (level, message) => options.log[level](message, { gatewayId: config.id }) });
    try {
      await gateway.start();
      started.push(gateway);
      options.log.info('SMPP gateway bound', { gatewayId: config.id, host: config.host, port: config.port, bind: config.bind });
    } catch (error) {
      await gateway.close();
      options.log.error('SMPP gateway not bound; left out until the service restarts', { gatewayId: config.id, error: String(error) });
    }
  }
  if (started.length === 0) throw new Error('no SMPP gateway could bind');
  const bound = new Set(started.map((gateway) => gateway.id));
  const router = hostRouter({
    file: {
      ...file,
      gateways: file.gateways.filter((gateway) => bound.has(gateway.id)),
      routes: file.routes.map((route) => ({ ...route, gateways: route.gateways.filter((id) => bound.has(id)) })),
    },
    gateways: started,
    limiters: options.limiters,
    clock: options.clock,
    sleep: options.sleep,
    events: {
      stateChanged: (change) => options.log[change.to === 'down' ? 'warn' : 'info']('Gateway state changed', { ...change }),
      failedOver: (from, to) => options.log.info('Failed over', { from, to }),
    },
  });
  return { router, gatewayIds: started.map((gateway) => gateway.id), close };
}
