/**
 * An SMS provider on a loopback port, for the HTTP gateway's tests: it records every request as received
 * and answers from a script, one answer a request, then with the default (accepted) once the script is
 * used up.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** Path and query string. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type ScriptedAnswer =
  | { status?: number; json: unknown }
  | { status: number; text: string; contentType?: string }
  /** Closes the connection once the request is read: the provider may have taken the message. */
  | 'reset'
  /** Never answers. */
  | 'hang';

export class FakeProvider {
  readonly requests: ReceivedRequest[] = [];
  /** TCP connections opened to the provider, to see keep-alive at work. */
  connections = 0;
  private readonly script: ScriptedAnswer[] = [];

  private constructor(private readonly server: Server) {
    server.on('connection', () => {
      this.connections += 1;
    });
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received = {
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.requests.push(received);
        this.answer(response, this.script.shift() ?? { json: { CodeResult: '100', SMSID: `sms-${this.requests.length}` } });
      });
    });
  }

  static async start(): Promise<FakeProvider> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeProvider(server);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  answerWith(...answers: ScriptedAnswer[]): void {
    this.script.push(...answers);
  }

  /** The JSON bodies received, in order. */
  jsonBodies(): Record<string, unknown>[] {
    return this.requests.map((request) => JSON.parse(request.body) as Record<string, unknown>);
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private answer(response: ServerResponse, answer: ScriptedAnswer): void {
    if (answer === 'hang') return;
    if (answer === 'reset') {
      response.socket?.destroy();
      return;
    }
    if ('json' in answer) {
      response.writeHead(answer.status ?? 200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(answer.json));
      return;
    }
    response.writeHead(answer.status, { 'content-type': answer.contentType ?? 'text/plain; charset=utf-8' });
    response.end(answer.text);
  }
}

/** A loopback address on which nothing listens: connecting is refused before anything is sent. */
export async function refusingBaseUrl(): Promise<string> {
  const provider = await FakeProvider.start();
  const url = provider.baseUrl;
  await provider.stop();
  return url;
}
