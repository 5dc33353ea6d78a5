/**
 * The gateway configuration file of the embedded runtime (LOA_CONFIG, or ./loa.config.json when present):
 * which gateways exist, which carriers go through which of them in what order, the health thresholds of
 * failover and the price of a part. Any string "env:NAME" is replaced by that environment variable, so
 * passwords and keys stay out of the file. A wrong field stops start-up with its path named.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_HEALTH_POLICY, type HealthPolicy } from '../core/gateways/gateway-health.js';
import type { Route } from '../core/gateways/gateway-router.js';
import { carrierOrAny, prices } from '../settings/shared-settings.js';
import type { HttpGatewayOptions } from '../adapters/http-gateway/http-gateway-options.js';
import type { SmppGatewayOptions } from '../adapters/smpp/smpp-gateway-options.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes, at most 40');
const tps = z.number().positive().optional();
const milliseconds = (fallback: number) => z.number().int().positive().default(fallback);
const idBase = z.enum(['text', 'hex', 'decimal']);

const SmppGateway = z.object({
  id,
  type: z.literal('smpp'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  tls: z.boolean().optional(),
  caFile: z.string().min(1).optional(),
  // SMPP 3.4 limits: system_id 16 octets, password 9, system_type 13, each with its terminating NUL.
  systemId: z.string().min(1).max(15),
  password: z.string().max(8),
  systemType: z.string().max(12).default(''),
  sourceAddr: z.string().min(1).max(20),
  tps,
  window: z.number().int().min(1).max(1000).default(10),
  split: z.enum(['udh', 'sar']).default('udh'),
  bind: z.enum(['transceiver', 'transmitter-receiver']).default('transceiver'),
  responseTimeoutMs: milliseconds(10_000),
  enquireLinkMs: milliseconds(30_000),
  reconnectMinMs: milliseconds(1_000),
  reconnectMaxMs: milliseconds(60_000),
  messageIds: z.object({ submit: idBase, receipt: idBase }).default({ submit: 'text', receipt: 'text' }),
}) satisfies z.ZodType<SmppGatewayOptions & { type: 'smpp' }, unknown>;

const codes = z.array(z.coerce.string()).default([]);
const HttpGateway = z.object({
  id,
  type: z.literal('http'),
  tps,
  timeoutMs: milliseconds(10_000),
  retries: z.number().int().min(0).max(10).default(2),
  retryBaseMs: milliseconds(500),
  phoneFormat: z.enum(['national', 'international', 'e164']).default('national'),
  request: z.object({
    url: z.url({ protocol: /^https?$/ }),
    method: z.enum(['POST', 'GET']).default('POST'),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.enum(['json', 'form']).default('json'),
    fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  }),
  unicodeValues: z.tuple([z.union([z.string(), z.number()]), z.union([z.string(), z.number()])]).default([0, 1]),
  response: z.object({
    codeField: z.string().min(1),
    accepted: z.array(z.coerce.string()).min(1),
    duplicate: codes,
    throttled: codes,
    transient: codes,
    messageIdField: z.string().min(1),
    messageField: z.string().min(1).optional(),
  }),
  deliveryReports: z
    .object({
      auth: z.discriminatedUnion('type', [
        z.object({ type: z.literal('secret'), header: z.string().min(1), secret: z.string().min(16) }),
        z.object({ type: z.literal('token'), param: z.string().min(1).default('token'), secret: z.string().min(16) }),
        z.object({
          type: z.literal('hmac'),
          header: z.string().min(1),
          secret: z.string().min(16),
          algorithm: z.enum(['sha256', 'sha1']).default('sha256'),
          encoding: z.enum(['hex', 'base64']).default('hex'),
        }),
      ]),
      messageIdField: z.string().min(1),
      statusField: z.string().min(1),
      delivered: z.array(z.coerce.string()).min(1),
      failed: z.array(z.coerce.string()).min(1),
      errorField: z.string().min(1).optional(),
      carrierField: z.string().min(1).optional(),
      timeField: z.string().min(1).optional(),
    })
    .optional(),
}) satisfies z.ZodType<HttpGatewayOptions & { type: 'http' }, unknown>;

const SnsGateway = z.object({
  id,
  type: z.literal('sns'),
  senderId: z.string().min(1),
  tps: z.number().positive().default(20),
  maxPriceUsd: z.number().positive().optional(),
});

/** The carrier simulator inside the process, without SMPP: for measuring the dispatcher alone. */
const InProcessSimulator = z.object({ id, type: z.literal('in-process-simulator'), tps });

const LoaConfigFile = z
  .object({
    gateways: z.array(z.discriminatedUnion('type', [SmppGateway, HttpGateway, SnsGateway, InProcessSimulator])).min(1),
    routes: z.array(z.object({ carriers: z.array(carrierOrAny).min(1), gateways: z.array(z.string()).min(1) })).min(1),
    health: z
      .object({
        windowMs: z.number().int().positive(),
        minSamples: z.number().int().positive(),
        tripErrorRate: z.number().gt(0).max(1),
        restoreErrorRate: z.number().min(0).max(1),
        coolDownMs: z.number().int().positive(),
        healthyForMs: z.number().int().positive(),
        probeShare: z.number().gt(0).max(1),
      })
      .partial()
      .default({}),
    prices: prices.optional(),
  })
  .superRefine((config, context) => {
    const ids = new Set<string>();
    config.gateways.forEach((gateway, index) => {
      if (ids.has(gateway.id))
        context.addIssue({ code: 'custom', path: ['gateways', index, 'id'], message: `${gateway.id} is used twice` });
      ids.add(gateway.id);
      for (const { field, message } of transportProblems(gateway)) {
        context.addIssue({ code: 'custom', path: ['gateways', index, ...field], message });
      }
    });
    for (const [index, route] of config.routes.entries()) {
      for (const [position, gatewayId] of route.gateways.entries()) {
        if (!ids.has(gatewayId)) {
          context.addIssue({ code: 'custom', path: ['routes', index, 'gateways', position], message: `no gateway ${gatewayId}` });
        }
      }
    }
    if (!config.routes.some((route) => route.carriers.includes('*'))) {
      context.addIssue({ code: 'custom', path: ['routes'], message: "needs a route for carriers ['*'] (numbers of unknown carriers)" });
    }
    if (
      config.health.restoreErrorRate !== undefined &&
      config.health.restoreErrorRate >= (config.health.tripErrorRate ?? DEFAULT_HEALTH_POLICY.tripErrorRate)
    ) {
      context.addIssue({ code: 'custom', path: ['health', 'restoreErrorRate'], message: 'must be below tripErrorRate' });
    }
  });

export type GatewayConfig = z.output<typeof LoaConfigFile>['gateways'][number];

/**
 * Messages and passwords cross the network only encrypted: an HTTP gateway must use https, except on
 * loopback (a local relay or a test double); an SMPP gateway's caFile applies to TLS and must be readable.
 */
function transportProblems(
  gateway: z.output<typeof SmppGateway> | z.output<typeof HttpGateway> | { type: 'sns' | 'in-process-simulator' },
) {
  const problems: { field: string[]; message: string }[] = [];
  if (gateway.type === 'http') {
    const url = new URL(gateway.request.url);
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
      problems.push({
        field: ['request', 'url'],
        message: `gateway ${gateway.id} must use https: http is allowed only on loopback (127.0.0.1, ::1, localhost)`,
      });
    }
  }
  if (gateway.type === 'smpp' && gateway.caFile !== undefined) {
    if (!gateway.tls) problems.push({ field: ['caFile'], message: `gateway ${gateway.id}: caFile applies only with "tls": true` });
    else if (!readable(gateway.caFile))
      problems.push({ field: ['caFile'], message: `gateway ${gateway.id}: cannot read ${gateway.caFile}` });
  }
  return problems;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function readable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

export interface LoaConfigFile {
  gateways: GatewayConfig[];
  routes: Route[];
  health: HealthPolicy;
  prices?: { currency: string; perPart: Record<string, number> };
}

export class LoaConfigError extends Error {}

/** The file named by LOA_CONFIG, else ./loa.config.json if there is one, else undefined (the defaults). */
export function loadLoaConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): LoaConfigFile | undefined {
  const path = env.LOA_CONFIG ?? (existsSync(`${cwd}/loa.config.json`) ? `${cwd}/loa.config.json` : undefined);
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new LoaConfigError(`Invalid configuration ${path}: cannot read it (${(error as NodeJS.ErrnoException).code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LoaConfigError(`Invalid configuration ${path}: not JSON (${(error as Error).message})`);
  }
  return parseLoaConfig(json, env, path);
}

export function parseLoaConfig(json: unknown, env: NodeJS.ProcessEnv, source = 'configuration'): LoaConfigFile {
  const problems: string[] = [];
  const resolved = resolveSecrets(json, env, [], problems);
  if (problems.length > 0) throw new LoaConfigError(`Invalid configuration ${source}: ${problems.join('; ')}`);
  const parsed = LoaConfigFile.safeParse(resolved);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new LoaConfigError(`Invalid configuration ${source}: ${issues.join('; ')}`);
  }
  const { health, ...rest } = parsed.data;
  return { ...rest, health: { ...DEFAULT_HEALTH_POLICY, ...health } };
}

function resolveSecrets(value: unknown, env: NodeJS.ProcessEnv, path: (string | number)[], problems: string[]): unknown {
  if (typeof value === 'string' && value.startsWith('env:')) {
    const name = value.slice(4);
    const secret = env[name];
    if (secret === undefined || secret === '') problems.push(`${path.join('.')}: environment variable ${name} is not set`);
    return secret;
  }
  if (Array.isArray(value)) return value.map((item, index) => resolveSecrets(item, env, [...path, index], problems));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveSecrets(item, env, [...path, key], problems)]));
  }
  return value;
}
