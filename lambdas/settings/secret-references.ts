/**
 * Resolving the `secret:NAME` and `secret:NAME#key` strings of the gateway configuration
 * (gateways-file.ts) when a runtime starts its gateways: each secret is read once per process (a Lambda
 * container, the SMPP service's task, the embedded server) and kept, so a warm sender reads none. The
 * resolved configuration is checked again with the values in place (an SMPP password of at most 8).
 */
import {
  GatewaysFileError,
  isSecretReference,
  type LoaConfigFile,
  type ParseOptions,
  parseGatewaysFile,
  SECRET_REFERENCE,
} from './gateways-file.js';

/** The SecretString of a secret, by name or ARN (Secrets Manager's GetSecretValue). */
export type ReadSecret = (secretId: string) => Promise<string>;

export class SecretReferenceError extends GatewaysFileError {
  override readonly name = 'SecretReferenceError';
}

/** A resolver of `secret:` strings that reads each secret once, and again after a failure. */
export function secretResolver(read: ReadSecret): (reference: string, path: string) => Promise<string> {
  const secrets = new Map<string, Promise<string>>();
  const secretString = (name: string): Promise<string> => {
    let pending = secrets.get(name);
    if (!pending) {
      pending = read(name);
      secrets.set(name, pending);
      pending.catch(() => secrets.delete(name));
    }
    return pending;
  };
  return async (reference, path) => {
    const match = SECRET_REFERENCE.exec(reference);
    if (!match) throw new SecretReferenceError(`${path}: expected secret:NAME or secret:NAME#key`);
    const [, name, key] = match as unknown as [string, string, string | undefined];
    let secret: string;
    try {
      secret = await secretString(name);
    } catch (error) {
      throw new SecretReferenceError(`${path}: cannot read secret ${name} from AWS Secrets Manager: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (key === undefined) return secret;
    let json: unknown;
    try {
      json = JSON.parse(secret);
    } catch {
      throw new SecretReferenceError(`${path}: secret ${name} is not JSON, so it has no key ${key}`);
    }
    const value = (json as Record<string, unknown> | null)?.[key];
    if (typeof value !== 'string') throw new SecretReferenceError(`${path}: secret ${name} has no string key ${key}`);
    return value;
  };
}

/** Replaces every `secret:` string of a value, reading the secrets through `resolve`. */
export async function resolveReferences(
  value: unknown,
  resolve: (reference: string, path: string) => Promise<string>,
  path = '',
): Promise<unknown> {
  if (isSecretReference(value)) return resolve(value, path);
  const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
  if (Array.isArray(value)) return Promise.all(value.map((item, index) => resolveReferences(item, resolve, at(index))));
  if (value !== null && typeof value === 'object') {
    const entries = await Promise.all(
      Object.entries(value).map(async ([key, item]) => [key, await resolveReferences(item, resolve, at(key))]),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

/** The configuration with its secrets in place, checked again with them. */
export async function resolveGatewaysFile(
  file: LoaConfigFile,
  resolve: (reference: string, path: string) => Promise<string>,
  options: Omit<ParseOptions, 'references'> = {},
): Promise<LoaConfigFile> {
  return parseGatewaysFile(await resolveReferences(file, resolve), { ...options, references: false });
}
