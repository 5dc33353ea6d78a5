/**
 * The gateway configuration file of the embedded runtime (LOA_CONFIG, or ./loa.config.json when present),
 * checked with the schema both runtimes share (settings/gateways-file.ts). Any string "env:NAME" is
 * replaced by that environment variable when the file is read; "secret:NAME" and "secret:NAME#key" are
 * kept, and read from AWS Secrets Manager when the gateways start (`resolveSecrets`). A wrong field stops
 * start-up with its path named.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type GatewayConfig, GatewaysFileError, type LoaConfigFile, parseGatewaysFile, referencesIn } from '../settings/gateways-file.js';
import { resolveGatewaysFile, secretResolver } from '../settings/secret-references.js';

export type { GatewayConfig, LoaConfigFile };

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

/** Checks a configuration with its `env:` strings replaced; its `secret:` references are kept. */
export function parseLoaConfig(json: unknown, env: NodeJS.ProcessEnv, source = 'configuration'): LoaConfigFile {
  const problems: string[] = [];
  const resolved = resolveEnv(json, env, [], problems);
  if (problems.length > 0) throw new LoaConfigError(`Invalid configuration ${source}: ${problems.join('; ')}`);
  try {
    return parseGatewaysFile(resolved, { source, fileProblems: unreadableCaFile });
  } catch (error) {
    if (error instanceof GatewaysFileError) throw new LoaConfigError(error.message);
    throw error;
  }
}

/**
 * The configuration with its `secret:` references read from AWS Secrets Manager (credentials and region
 * from the usual AWS environment), each secret once; a configuration without any is returned as it is.
 */
export async function resolveSecrets(
  file: LoaConfigFile,
  readSecret: (secretId: string) => Promise<string> = secretsManagerReader(),
): Promise<LoaConfigFile> {
  if (referencesIn(file, []).length === 0) return file;
  try {
    return await resolveGatewaysFile(file, secretResolver(readSecret), { fileProblems: unreadableCaFile });
  } catch (error) {
    if (error instanceof GatewaysFileError) {
      throw new LoaConfigError(
        error.message.startsWith('Invalid configuration') ? error.message : `Invalid configuration: ${error.message}`,
      );
    }
    throw error;
  }
}

function secretsManagerReader(): (secretId: string) => Promise<string> {
  let client: SecretsManagerClient | undefined;
  return async (SecretId) => {
    client ??= new SecretsManagerClient({});
    return (await client.send(new GetSecretValueCommand({ SecretId }))).SecretString ?? '';
  };
}

/** An SMPP gateway's CA file must be readable by this process. */
function unreadableCaFile(gateway: GatewayConfig): { field: string[]; message: string }[] {
  if (gateway.type !== 'smpp' || gateway.caFile === undefined || !gateway.tls || readable(gateway.caFile)) return [];
  return [{ field: ['caFile'], message: `gateway ${gateway.id}: cannot read ${gateway.caFile}` }];
}

function readable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function resolveEnv(value: unknown, env: NodeJS.ProcessEnv, path: (string | number)[], problems: string[]): unknown {
  if (typeof value === 'string' && value.startsWith('env:')) {
    const name = value.slice(4);
    const secret = env[name];
    if (secret === undefined || secret === '') problems.push(`${path.join('.')}: environment variable ${name} is not set`);
    return secret;
  }
  if (Array.isArray(value)) return value.map((item, index) => resolveEnv(item, env, [...path, index], problems));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveEnv(item, env, [...path, key], problems)]));
  }
  return value;
}
