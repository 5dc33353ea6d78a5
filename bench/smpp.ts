/**
 * `npm run bench:smpp -- --messages N` (default 200,000): N one-part messages through SmppGateway to the
 * SMSC simulator (window 50, no rate limit, receipts on), and N through a bare loop over the same `smpp`
 * package (one session, at most 50 submit_sm outstanding, the same PDUs, receipts answered unread), in
 * alternating rounds, to see what the gateway's bookkeeping costs. Prints, last, one JSON line: submits a
 * second of both, the p99 submit latency through the gateway, and their ratio.
 *
 * The simulator runs in a worker thread of its own, as an SMSC would be elsewhere: sharing the client's
 * event loop, its work would dilute what the gateway costs.
 */
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import type { OutgoingSms } from '../lambdas/core/ports.js';
import { SmppGateway } from '../lambdas/adapters/smpp/smpp-gateway.js';
import { CommandStatus, connectSession, newPdu, type SmppSession } from '../lambdas/adapters/smpp/smpp-library.js';
import { submitSmParts } from '../lambdas/adapters/smpp/smpp-message-parts.js';
import { SmscSimulator } from '../lambdas/adapters/smpp/smsc-simulator.js';

const WINDOW = 50;
const SYSTEM_ID = 'loa-bench';
const SOURCE_ADDR = 'TTTT-DNAI';
const ROUNDS = 10;
const TEXT = 'So TT&TT Dong Nai: han che tap trung dong nguoi, deo khau trang noi cong cong. Goi 1022 khi can ho tro.';

if (isMainThread) await runBenchmark();
else await serveSmsc();

async function runBenchmark(): Promise<void> {
  const { values } = parseArgs({ options: { messages: { type: 'string', default: '200000' } } });
  const messages = Number(values.messages);
  const smsc = await startSmscWorker();
  const gateway = await startGateway(smsc.port);
  const raw = await bindRawSession(smsc.port);

  // Both paths run once before measuring, so that neither pays alone for warming up the JIT on either side.
  const warmUp = Math.min(10_000, Math.ceil(messages / 10));
  await throughGateway(gateway, warmUp, new Float64Array(warmUp), 0);
  await throughRawSession(raw, warmUp);
  // Then in alternating rounds, so that a change in the machine's load falls on both alike.
  const latencies = new Float64Array(messages);
  let gatewaySeconds = 0;
  let rawSeconds = 0;
  for (let round = 0, done = 0; round < ROUNDS; round++) {
    const count = Math.floor((messages * (round + 1)) / ROUNDS) - done;
    if (round % 2 === 0) {
      gatewaySeconds += await throughGateway(gateway, count, latencies, done);
      rawSeconds += await throughRawSession(raw, count);
    } else {
      rawSeconds += await throughRawSession(raw, count);
      gatewaySeconds += await throughGateway(gateway, count, latencies, done);
    }
    done += count;
  }
  await gateway.close();
  await unbind(raw);
  await smsc.stop();

  latencies.sort();
  const submitsPerSec = Math.round(messages / gatewaySeconds);
  const rawSubmitsPerSec = Math.round(messages / rawSeconds);
  console.log(
    JSON.stringify({
      messages,
      submitsPerSec,
      p99SubmitMs: Math.round(latencies[Math.ceil(messages * 0.99) - 1]! * 100) / 100,
      rawSubmitsPerSec,
      ratio: Math.round((submitsPerSec / rawSubmitsPerSec) * 100) / 100,
    }),
  );
}

function outgoing(index: number): OutgoingSms {
  return { reference: `bench:${index}`, to: `+8491${String(index % 10_000_000).padStart(7, '0')}`, text: TEXT, encoding: 'GSM-7' };
}

async function startGateway(port: number): Promise<SmppGateway> {
  const gateway = new SmppGateway(
    {
      id: 'bench',
      host: '127.0.0.1',
      port,
      systemId: SYSTEM_ID,
      password: '',
      systemType: '',
      sourceAddr: SOURCE_ADDR,
      window: WINDOW,
      split: 'udh',
      bind: 'transceiver',
      responseTimeoutMs: 10_000,
      enquireLinkMs: 30_000,
      reconnectMinMs: 100,
      reconnectMaxMs: 1_000,
      messageIds: { submit: 'text', receipt: 'text' },
    },
    () => undefined,
  );
  await gateway.start();
  return gateway;
}

/**
 * As many callers as the window, each submitting its next message when the last is answered; returns the
 * seconds taken and writes each latency from `offset` on.
 */
async function throughGateway(gateway: SmppGateway, messages: number, latencies: Float64Array, offset: number): Promise<number> {
  let next = 0;
  let failures = 0;
  const caller = async () => {
    while (next < messages) {
      const index = next++;
      const startedAt = performance.now();
      const result = await gateway.submit(outgoing(offset + index));
      latencies[offset + index] = performance.now() - startedAt;
      if (result.outcome !== 'accepted') failures++;
    }
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: WINDOW }, caller));
  const seconds = (performance.now() - startedAt) / 1000;
  if (failures > 0) throw new Error(`${failures} submits through the gateway were not accepted`);
  return seconds;
}

/** The package driven directly: one session bound as transceiver, deliver_sm answered unread. */
async function bindRawSession(port: number): Promise<SmppSession> {
  const session = connectSession('127.0.0.1', port);
  session.on('error', (error) => console.error(error));
  session.on('pdu', (pdu) => {
    if (pdu.command === 'deliver_sm') session.send(pdu.response());
  });
  await new Promise<void>((resolve, reject) =>
    session.on('connect', () =>
      session.send(newPdu('bind_transceiver', { system_id: SYSTEM_ID, password: '' }), (response) =>
        response.command_status === CommandStatus.ESME_ROK ? resolve() : reject(new Error('bind refused')),
      ),
    ),
  );
  return session;
}

/** Keeps WINDOW submit_sm in flight until `messages` are answered; returns the seconds taken. */
async function throughRawSession(session: SmppSession, messages: number): Promise<number> {
  const fields = submitSmParts(outgoing(0), { sourceAddr: SOURCE_ADDR, systemType: '', split: 'udh', concatReference: 0 })[0]!;
  const startedAt = performance.now();
  await new Promise<void>((resolve, reject) => {
    let sent = 0;
    let answered = 0;
    const fill = () => {
      while (sent < messages && sent - answered < WINDOW) {
        const destination = outgoing(sent++).to.slice(1);
        session.send(newPdu('submit_sm', { ...fields, destination_addr: destination }), (response) => {
          if (response.command_status !== CommandStatus.ESME_ROK) reject(new Error(`raw submit refused: ${response.command_status}`));
          if (++answered === messages) resolve();
          else fill();
        });
      }
    };
    fill();
  });
  return (performance.now() - startedAt) / 1000;
}

function unbind(session: SmppSession): Promise<void> {
  return new Promise((resolve) => {
    session.on('close', resolve);
    session.send(newPdu('unbind'), () => session.close());
  });
}

async function startSmscWorker(): Promise<{ port: number; stop(): Promise<void> }> {
  // A worker does not inherit `--import tsx`; it registers tsx itself before loading this file.
  const entry =
    `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); ` +
    `await import(${JSON.stringify(import.meta.url)});`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(entry)}`));
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (message: { port: number }) => resolve(message.port));
    worker.once('error', reject);
  });
  return {
    port,
    stop: async () => {
      worker.postMessage('stop');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

async function serveSmsc(): Promise<void> {
  const simulator = new SmscSimulator({
    reportDelayMs: 20,
    transientErrorRate: 0,
    permanentErrorRate: 0,
    undeliveredRate: 0,
    record: false,
  });
  const { port } = await simulator.start();
  parentPort!.postMessage({ port });
  parentPort!.once('message', async () => {
    await simulator.close();
    parentPort!.close();
  });
}
