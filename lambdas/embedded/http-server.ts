/**
 * The embedded runtime's HTTP server: node:http in front of the API handler. It verifies bearer tokens
 * (the job API Gateway's JWT authorizer does on AWS) or, without one, the staff session cookie, streams
 * CSV uploads to the handler instead of buffering them (refusing them with 413 past the import's limit,
 * without reading the rest), and on close stops accepting, lets requests in flight finish, then ends the
 * connections.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IMPORT_LIMITS, overLimitMessage } from '../core/subscribers/import-limits.js';
import { MAX_JSON_BODY_BYTES, type ApiHandler } from '../http/api-handler.js';
import { maskPhoneNumbers } from '../http/api-log.js';
import type { ApiRequest, ApiResponse } from '../http/api-request.js';
import { PROBLEMS, problemResponse, ProblemError } from '../http/problem.js';
import type { ConsoleFiles } from './console-files.js';
import { SpooledUpload } from './spooled-upload.js';
import type { CookieSessions } from './staff/cookie-sessions.js';
import { verifyToken, type SigningKey } from './tokens.js';

export interface HttpServerOptions {
  handler: ApiHandler;
  host: string;
  port: number;
  signingKey: SigningKey;
  /** Tokens revoked by `loa token revoke`, refused like expired ones. */
  revokedTokens?: { isRevoked(tokenId: string): boolean };
  /** Staff signed in with a session cookie; requests with a bearer token do not look at it. */
  sessions?: CookieSessions;
  /** The staff console, served at every GET path that is not the API's. */
  console?: ConsoleFiles;
  /** How long close() waits for requests in flight before cutting them off. */
  closeGraceMs?: number;
}

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

/** Longer than the idle timeouts of common proxies and load balancers (60 s), so they close first. */
const KEEP_ALIVE_MS = 65_000;

/** On every answer: the console's files, the handler's, and the ones the server makes itself (a bad token, a body too large). */
const NOSNIFF = { 'x-content-type-options': 'nosniff' } as const;
/** What the server answers itself (a bad token, a body too large) is as private as the API's answers. */
const NO_STORE = { 'cache-control': 'no-store' } as const;

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | undefined;

  const server = createServer((req, res) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (closing && inFlight === 0) drained?.();
    });
    serve(options, req, res, () => closing).catch((error: unknown) => {
      // serve() answers every error it expects; this is the last resort, and says nothing of the cause.
      process.stderr.write(`http server: ${maskPhoneNumbers(error instanceof Error ? error.message : String(error))}\n`);
      if (!res.headersSent) write(res, problemResponse('internal', 'An unexpected error occurred'), true);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;

  server.listen(options.port, options.host);
  await once(server, 'listening');
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        const grace = new Promise<void>((resolve) => setTimeout(resolve, options.closeGraceMs ?? 10_000).unref());
        await Promise.race([new Promise<void>((resolve) => (drained = resolve)), grace]);
      }
      server.closeAllConnections();
      await stopped;
    })());

  return { url: `http://${host}:${port}`, close };
}

async function serve(options: HttpServerOptions, req: IncomingMessage, res: ServerResponse, isClosing: () => boolean): Promise<void> {
  if (options.console && (req.method === 'GET' || req.method === 'HEAD')) {
    const page = await options.console.serve(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (page) {
      res.writeHead(page.statusCode, { ...page.headers, ...NOSNIFF, 'content-length': String(Buffer.byteLength(page.body)) });
      res.end(req.method === 'HEAD' ? undefined : page.body);
      return;
    }
  }
  let claims: Record<string, unknown> | undefined;
  const authorization = req.headers.authorization;
  if (authorization !== undefined && authorization !== '') {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    try {
      if (token === undefined) throw new Error('not a bearer token');
      claims = await verifyToken(options.signingKey, token);
      if (options.revokedTokens?.isRevoked(String(claims.jti))) throw new Error('revoked');
    } catch {
      return finish(req, res, unauthorized(), isClosing());
    }
  } else if (options.sessions) {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const session = options.sessions.authenticate({ method: req.method ?? 'GET', path, headers: req.headers });
    if ('refused' in session) return finish(req, res, session.refused, isClosing());
    claims = session.claims;
  }

  const url = new URL(req.url ?? '/', 'http://localhost');
  const query: Record<string, string | undefined> = {};
  for (const [name, value] of url.searchParams) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;

  const request: ApiRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query,
    headers,
    ...(claims && { claims, claimsSource: 'embedded' }),
    ...(req.socket.remoteAddress && { sourceIp: req.socket.remoteAddress }),
  };
  if (isCsv(headers['content-type'])) {
    if (Number(req.headers['content-length'] ?? 0) > IMPORT_LIMITS.bytes) {
      return finish(req, res, problemResponse('payload-too-large', overLimitMessage(IMPORT_LIMITS, 'bytes')), true);
    }
    const upload = new SpooledUpload(req);
    request.bodyStream = upload.read;
    let response: ApiResponse;
    // The copy is gone before the answer goes out: a client that has its answer leaves no phone numbers behind.
    try {
      response = await options.handler(request);
    } finally {
      await upload.dispose();
    }
    return finish(req, res, response, isClosing());
  }
  try {
    request.body = await readBody(req);
  } catch (error) {
    if (error instanceof ProblemError) return finish(req, res, problemResponse(error.kind, error.message), true);
    throw error;
  }
  finish(req, res, await options.handler(request), isClosing());
}

function unauthorized(): ApiResponse {
  return problemResponse('unauthenticated', 'The bearer token is invalid, expired or revoked', {
    headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
  });
}

/**
 * Writes the response. The part of a body the handler did not read (an upload refused with 403 or 422)
 * is drained so the connection can carry the next request, except after a 413, where nothing more is
 * read: the client is told to stop and the connection ends. Every connection ends once the server is closing.
 */
function finish(req: IncomingMessage, res: ServerResponse, response: ApiResponse, closeConnection: boolean): void {
  const tooLarge = response.statusCode === PROBLEMS['payload-too-large'].status;
  if (!req.complete) {
    req.removeAllListeners('data');
    // After a 413 nothing more is read: with `connection: close`, node ends the socket once the answer is out.
    if (tooLarge) req.pause();
    else req.resume();
  }
  write(res, response, closeConnection || tooLarge);
}

function write(res: ServerResponse, response: ApiResponse, closeConnection: boolean): void {
  const headers: Record<string, string> = {
    ...NO_STORE,
    ...response.headers,
    ...NOSNIFF,
    'content-length': String(Buffer.byteLength(response.body)),
  };
  if (closeConnection) headers.connection = 'close';
  res.writeHead(response.statusCode, headers);
  res.end(response.body);
}

function isCsv(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'text/csv';
}

/** The whole body as text (undefined when empty), refusing more than the JSON limit with a 413. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  const tooLarge = () => new ProblemError('payload-too-large', `A JSON body may be at most ${MAX_JSON_BODY_BYTES} bytes`);
  if (Number(req.headers['content-length'] ?? 0) > MAX_JSON_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_JSON_BODY_BYTES) reject(tooLarge());
      else chunks.push(chunk);
    });
    req.once('end', () => resolve(size === 0 ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}
