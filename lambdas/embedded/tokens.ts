import { jwtVerify, SignJWT } from 'jose';
import { newId } from '../core/ids.js';
import type { Role } from '../core/auth/caller.js';
import { ownerOnlySecret } from './data-dir.js';

export type SigningKey = Uint8Array;

export const TOKEN_ISSUER = 'loa-embedded';
export const TOKEN_AUDIENCE = 'loa';
const SECRET_FILE = 'jwt-secret';
const SECRET_BYTES = 32;

/** The secret in DATA_DIR/jwt-secret, made on first use (ownerOnlySecret). */
export async function loadOrCreateSigningKey(dataDir: string): Promise<SigningKey> {
  const { file, secret: key } = await ownerOnlySecret(dataDir, SECRET_FILE, SECRET_BYTES);
  if (key.length < SECRET_BYTES) {
    throw new Error(`${file} holds ${key.length} bytes; a signing secret needs ${SECRET_BYTES}. Delete it to make a new one.`);
  }
  return new Uint8Array(key);
}

/**
 * How long a token may live: a person's at most a working day, a system's (only the integration role) at
 * most 90 days, so that a token that leaks stops working on its own.
 */
export function longestLifetimeSeconds(roles: readonly Role[]): number {
  return roles.length > 0 && roles.every((role) => role === 'integration') ? 90 * 86_400 : 12 * 3_600;
}

export interface MintedToken {
  token: string;
  /** The token's `jti`, which names it in the audit log and to `loa token revoke`. */
  id: string;
  expiresAt: Date;
}

/** Signs a token with a new id; a lifetime beyond `longestLifetimeSeconds` of its roles is refused (RangeError). */
export async function mintToken(
  key: SigningKey,
  options: { user: string; roles: readonly Role[]; ttlSeconds: number },
  now = new Date(),
): Promise<MintedToken> {
  const longest = longestLifetimeSeconds(options.roles);
  if (options.ttlSeconds > longest) {
    throw new RangeError(`A token for ${options.roles.join(', ')} lives at most ${longest / 3_600} hours`);
  }
  const issuedAt = Math.floor(now.getTime() / 1000);
  const id = newId('tok', now);
  const token = await new SignJWT({ roles: [...options.roles] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setJti(id)
    .setSubject(options.user)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + options.ttlSeconds)
    .sign(key);
  return { token, id, expiresAt: new Date((issuedAt + options.ttlSeconds) * 1000) };
}

/** The token alone, for callers that neither record nor revoke it (tests, the demo). */
export async function issueToken(key: SigningKey, options: { user: string; roles: readonly Role[]; ttlSeconds: number }): Promise<string> {
  return (await mintToken(key, options)).token;
}

/**
 * The token's claims; throws when the signature, issuer, audience or expiry is wrong, when it has no id
 * (it could not be revoked), or when it was made to live longer than its roles allow (a token minted
 * before those rules existed).
 */
export async function verifyToken(key: SigningKey, token: string): Promise<Record<string, unknown>> {
  const { payload } = await jwtVerify(token, key, {
    algorithms: ['HS256'],
    issuer: TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    requiredClaims: ['sub', 'exp', 'iat', 'jti'],
  });
  const roles = Array.isArray(payload.roles) ? (payload.roles as Role[]) : [];
  if (payload.exp! - payload.iat! > longestLifetimeSeconds(roles)) throw new RangeError('The token lives longer than its roles allow');
  return payload as Record<string, unknown>;
}
