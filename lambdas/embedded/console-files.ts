/**
 * The staff console as the embedded runtime serves it: the files `npm run build:console` wrote to
 * console/dist at `/`, index.html for every other page path (the console routes in the browser), and
 * /config.json telling the console that it signs in with the session cookie and which time zone to show.
 * The API keeps /v1, /health and /openapi.json.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_DIST = fileURLToPath(new URL('../../console/dist', import.meta.url));

/**
 * No inline script or style, nothing from elsewhere, never in a frame. React sets styles through the DOM,
 * which style-src does not restrict.
 */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface ConsoleFile {
  statusCode: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface ConsoleFiles {
  /** The console's answer to a GET or HEAD of `path`, or undefined when the path is the API's. */
  serve(path: string): Promise<ConsoleFile | undefined>;
}

export function consoleFiles(options: { dist?: string; timezone: string }): ConsoleFiles {
  const dist = options.dist ?? CONSOLE_DIST;
  const config = JSON.stringify({ apiUrl: '', timezone: options.timezone, auth: { kind: 'session' } });

  const file = async (relative: string): Promise<Buffer | undefined> => {
    const absolute = normalize(join(dist, relative));
    if (!absolute.startsWith(dist + sep)) return undefined;
    try {
      return await readFile(absolute);
    } catch {
      return undefined;
    }
  };

  return {
    async serve(path): Promise<ConsoleFile | undefined> {
      if (path.startsWith('/v1/') || path === '/v1' || path === '/health' || path === '/openapi.json') return undefined;
      if (path === '/config.json') {
        return {
          statusCode: 200,
          headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
          body: config,
        };
      }
      if (path.startsWith('/assets/')) {
        const content = await file(path);
        if (content) {
          return {
            statusCode: 200,
            headers: {
              'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
              // Vite puts a hash of the content in every asset's name.
              'cache-control': 'public, max-age=31536000, immutable',
              'x-content-type-options': 'nosniff',
            },
            body: content,
          };
        }
        return {
          statusCode: 404,
          headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
          body: 'Not found',
        };
      }
      const index = await file('index.html');
      if (!index) {
        return {
          statusCode: 503,
          headers: { 'content-type': 'text/plain; charset=utf-8', ...CONSOLE_SECURITY_HEADERS },
          body: 'The staff console is not built: run `npm run build:console` (npm install does it).',
        };
      }
      return {
        statusCode: 200,
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', ...CONSOLE_SECURITY_HEADERS },
        body: index,
      };
    },
  };
}
