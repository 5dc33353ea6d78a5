/**
 * What a deployment of Loa is made of, read from CDK context (`-c key=value`) with defaults that let
 * `npm run synth` work with no context and no AWS account. Every value is checked here, so a typo fails
 * the synth with a message instead of deploying something odd.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { integrationClientsJson, type IntegrationClients } from '../lambdas/core/auth/client-limits.js';
import { defaultSnsFile, GatewaysFileError, type LoaConfigFile, parseGatewaysFile } from '../lambdas/settings/gateways-file.js';
import { pricesJson } from '../lambdas/settings/shared-settings.js';

/** The stage that may be thrown away: its table, user pool and logs go with the stack. */
export const DEV_STAGE = 'dev';

export interface LoaStackProps {
  /** Names the stack and its resources (`Loa-<stage>`); only `dev` is disposable. */
  stage: string;
  /**
   * The gateway configuration file (`-c loaConfig=<path>`, the embedded runtime's loa.config.json), checked
   * with the runtimes' schema, its `secret:` references kept: the functions' and SMPP service's
   * LOA_GATEWAYS. Without it, one SNS gateway from senderId and senderTps (`gatewaysOf`).
   */
  gateways?: LoaConfigFile;
  /** SNS SenderID of the SMS: 1-11 letters and digits, at least one letter (registered in Vietnam). */
  senderId: string;
  /**
   * Messages a second the SNS SMS gateway accepts, across all senders: the account's SMS quota, which
   * SNS counts in message parts, divided by the parts of the longest message.
   */
  senderTps: number;
  /** Where alarms go; required outside dev. */
  alarmEmail?: string;
  /** The only numbers a test campaign sends to (E.164, e.g. the operators' own phones): LOA_TEST_NUMBERS. */
  testNumbers?: string[];
  /** The price of a message part by carrier, for the estimate before approval: LOA_PRICES on the API. */
  prices?: { currency: string; perPart: Record<string, number> };
  /** Integration clients limited to some actions and areas, by Cognito app client id: LOA_INTEGRATION_CLIENTS on the API. */
  integrationClients?: IntegrationClients;
  /**
   * Another origin (https://..., no path) the console is served from besides the stack's CloudFront
   * URL, e.g. the department's own web server with its own config.json: CORS allows it and the managed
   * login returns to it too.
   */
  consoleOrigin?: string;
  /** The built console the stack uploads (`vite build`'s output): console/dist by default. */
  consoleDir?: string;
  /** Prefix of the Cognito domain (managed login, token endpoint); `loa-<stage>-<account>` by default. */
  authDomainPrefix?: string;
  /**
   * SNS's SMS delivery-status log groups, which are the account's (one pair per region, shared by every
   * stage): `create` them, use the `existing` ones (SMS were sent with delivery logging before), or, when
   * unset (`-c snsDeliveryLogs=none`, the default), leave them alone: no ingester, and SNS receipts expire.
   */
  snsDeliveryLogs?: SnsDeliveryLogs;
  /**
   * The stage's End User Messaging set-up, when the gateways file has `eum` gateways (their
   * originationIdentity each): a configuration set with its delivery events, and the senders' permission.
   */
  endUserMessaging?: { originationIdentities: string[] };
  /**
   * Tasks of the SMPP service (`-c smppTasks=2`, when the configuration has smpp gateways): each binds
   * every smpp gateway once, so no more than the binds the carriers allow. Default 1.
   */
  smppTasks?: number;
}

export const SNS_DELIVERY_LOGS = ['create', 'existing'] as const;
export type SnsDeliveryLogs = (typeof SNS_DELIVERY_LOGS)[number];

export const DEFAULTS = {
  stage: DEV_STAGE,
  senderId: 'LOA',
  /** SNS's default SMS quota is 20 messages a second per account; raise it with AWS first. */
  senderTps: 20,
} as const;

/** Where `vite build` puts the console. */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../console/dist', import.meta.url));

/** Reads a context value as the CDK CLI gives it (`-c key=value` is always a string). */
export type ContextReader = (key: string) => unknown;

export class LoaConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoaConfigError';
  }
}

/** The stack's properties from CDK context, checked. */
export function stackPropsFromContext(context: ContextReader): LoaStackProps {
  const text = (key: string): string | undefined => {
    const value = context(key);
    if (value === undefined || value === null || value === '') return undefined;
    return String(value).trim();
  };
  const props: LoaStackProps = {
    stage: text('stage') ?? DEFAULTS.stage,
    senderId: text('senderId') ?? DEFAULTS.senderId,
    senderTps: text('senderTps') === undefined ? DEFAULTS.senderTps : Number(text('senderTps')),
    ...(text('alarmEmail') !== undefined && { alarmEmail: text('alarmEmail') }),
    ...(text('testNumbers') !== undefined && {
      testNumbers: text('testNumbers')!
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    }),
    ...(text('prices') !== undefined && { prices: pricesFromContext(text('prices')!) }),
    ...(text('integrationClients') !== undefined && { integrationClients: integrationClientsFromContext(text('integrationClients')!) }),
    ...(text('consoleOrigin') !== undefined && { consoleOrigin: text('consoleOrigin') }),
    ...(text('authDomainPrefix') !== undefined && { authDomainPrefix: text('authDomainPrefix') }),
    ...(text('consoleDir') !== undefined && { consoleDir: text('consoleDir') }),
    ...snsDeliveryLogsFromContext(text('snsDeliveryLogs')),
    ...(text('loaConfig') !== undefined && gatewaysFromFile(text('loaConfig')!)),
    ...(text('smppTasks') !== undefined && { smppTasks: Number(text('smppTasks')) }),
  };
  return checkStackProps(props);
}

/** `-c snsDeliveryLogs=create|existing|none`; none (the default) is no property. */
function snsDeliveryLogsFromContext(value: string | undefined): Pick<LoaStackProps, 'snsDeliveryLogs'> {
  if (value === undefined || value === 'none') return {};
  const known = SNS_DELIVERY_LOGS.find((candidate) => candidate === value);
  if (!known) throw new LoaConfigError(`snsDeliveryLogs must be create, existing or none: "${value}"`);
  return { snsDeliveryLogs: known };
}

/** `-c loaConfig=<path>`: the file, checked as the functions will read it; its eum gateways' identities for End User Messaging. */
function gatewaysFromFile(path: string): Pick<LoaStackProps, 'gateways' | 'endUserMessaging'> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new LoaConfigError(`loaConfig: cannot read ${path} as JSON (${(error as Error).message})`);
  }
  let gateways: LoaConfigFile;
  try {
    gateways = parseGatewaysFile(json, { runtime: 'aws', template: true, source: path });
  } catch (error) {
    if (error instanceof GatewaysFileError) throw new LoaConfigError(`loaConfig: ${error.message}`);
    throw error;
  }
  const originationIdentities = [
    ...new Set(gateways.gateways.flatMap((gateway) => (gateway.type === 'eum' ? [gateway.originationIdentity] : []))),
  ];
  return { gateways, ...(originationIdentities.length > 0 && { endUserMessaging: { originationIdentities } }) };
}

/** The gateways the stage sends through: its configuration file's, else one SNS gateway from senderId and senderTps. */
export function gatewaysOf(props: Pick<LoaStackProps, 'gateways' | 'senderId' | 'senderTps'>): LoaConfigFile {
  return props.gateways ?? defaultSnsFile(props.senderId, props.senderTps);
}

/** `-c prices='{"currency":"VND","perPart":{"viettel":350,"*":400}}'`, checked as the API will read it. */
function pricesFromContext(json: string): LoaStackProps['prices'] {
  const parsed = pricesJson.safeParse(json);
  if (!parsed.success) {
    throw new LoaConfigError(`prices: ${parsed.error.issues.map((issue) => [...issue.path, issue.message].join(': ')).join('; ')}`);
  }
  return parsed.data;
}

/** `-c integrationClients='{"<app client id>":{"actions":["subscribers.import"],"areas":["DNI-BHOA"]}}'`, checked as the API reads it. */
function integrationClientsFromContext(json: string): IntegrationClients {
  const parsed = integrationClientsJson.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => [...issue.path, issue.message].join(': ')).join('; ');
    throw new LoaConfigError(`integrationClients: ${problems}`);
  }
  return parsed.data;
}

/** Throws a LoaConfigError naming the first value that is wrong; returns the props otherwise. */
export function checkStackProps(props: LoaStackProps): LoaStackProps {
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(props.stage)) {
    throw new LoaConfigError(`stage must be 1-20 lowercase letters, digits or hyphens, starting with a letter: "${props.stage}"`);
  }
  if (!/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/.test(props.senderId)) {
    throw new LoaConfigError(`senderId must be 1-11 letters and digits with at least one letter: "${props.senderId}"`);
  }
  if (!Number.isInteger(props.senderTps) || props.senderTps < 1 || props.senderTps > 10_000) {
    throw new LoaConfigError(`senderTps must be a whole number of messages a second, 1 to 10000: "${props.senderTps}"`);
  }
  if (props.alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.alarmEmail)) {
    throw new LoaConfigError(`alarmEmail is not an e-mail address: "${props.alarmEmail}"`);
  }
  if (props.alarmEmail === undefined && props.stage !== DEV_STAGE) {
    throw new LoaConfigError(`alarmEmail is required outside the ${DEV_STAGE} stage (-c alarmEmail=ops@example.vn)`);
  }
  for (const number of props.testNumbers ?? []) {
    if (!/^\+[1-9]\d{7,14}$/.test(number)) throw new LoaConfigError(`testNumbers must be E.164 numbers separated by commas: "${number}"`);
  }
  if (props.consoleOrigin !== undefined && !/^https:\/\/[a-z0-9.-]+(:\d+)?$/.test(props.consoleOrigin)) {
    throw new LoaConfigError(`consoleOrigin must be an https origin without a path: "${props.consoleOrigin}"`);
  }
  if (props.authDomainPrefix !== undefined && !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(props.authDomainPrefix)) {
    throw new LoaConfigError(`authDomainPrefix must be lowercase letters, digits and hyphens: "${props.authDomainPrefix}"`);
  }
  if (props.smppTasks !== undefined && (!Number.isInteger(props.smppTasks) || props.smppTasks < 1 || props.smppTasks > 10)) {
    throw new LoaConfigError(`smppTasks must be a whole number of SMPP service tasks, 1 to 10: "${props.smppTasks}"`);
  }
  if (props.prices && props.gateways?.prices) {
    throw new LoaConfigError('prices are given twice: in -c prices and in the loaConfig file; keep one');
  }
  return props;
}

/** Only the dev stage may lose its data with the stack. */
export function isDisposable(stage: string): boolean {
  return stage === DEV_STAGE;
}
