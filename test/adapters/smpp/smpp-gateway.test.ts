import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { SmppBindRefusedError } from '../../../lambdas/adapters/smpp/smpp-errors.js';
import { SmppGateway } from '../../../lambdas/adapters/smpp/smpp-gateway.js';
import type { SmppGatewayOptions } from '../../../lambdas/adapters/smpp/smpp-gateway-options.js';
import { createSmppServer } from '../../../lambdas/adapters/smpp/smpp-library.js';
import { SmscSimulator, type SmscSimulatorOptions } from '../../../lambdas/adapters/smpp/smsc-simulator.js';
import { outcomeOfCommandStatus } from '../../../lambdas/adapters/smpp/submit-outcomes.js';
import type { DeliveryReport, OutgoingSms, SubmitResult } from '../../../lambdas/core/ports.js';
import { smppOptions } from './smpp-options.js';
import { STRIPPED_300, VIETNAMESE_300 } from './vietnamese-texts.js';

const PHONE = '+84912345678';
const running: { close(): Promise<void> }[] = [];

afterEach(async () => {
  // Gateways first (they unbind), then the simulators they were bound to.
  for (const closable of running.splice(0).reverse()) await closable.close();
});

async function aSimulator(options: Partial<SmscSimulatorOptions> = {}) {
  const simulator = new SmscSimulator({
    reportDelayMs: 20,
    transientErrorRate: 0,
    permanentErrorRate: 0,
    undeliveredRate: 0,
    systemId: 'loa',
    password: 'secret',
    ...options,
  });
  running.push(simulator);
  const { port } = await simulator.start();
  return { simulator, port };
}

function aGateway(port: number, options: Partial<SmppGatewayOptions> = {}) {
  const reports: DeliveryReport[] = [];
  const logs: string[] = [];
  const gateway = new SmppGateway(smppOptions(port, options), (report) => reports.push(report), {
    log: (level, message) => logs.push(`${level} ${message}`),
  });
  running.push(gateway);
  return { gateway, reports, logs };
}

async function aBoundGateway(port: number, options: Partial<SmppGatewayOptions> = {}) {
  const bound = aGateway(port, options);
  await bound.gateway.start();
  return bound;
}

function anSms(index = 0, overrides: Partial<OutgoingSms> = {}): OutgoingSms {
  const to = `+8491234${String(index).padStart(4, '0')}`;
  return { reference: `cmp_1:run_1:${to}`, to, text: 'So TT&TT Dong Nai: deo khau trang noi cong cong.', encoding: 'GSM-7', ...overrides };
}

function submitMany(gateway: SmppGateway, count: number): Promise<SubmitResult[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => gateway.submit(anSms(index))));
}

function acceptedIds(results: SubmitResult[]): string[] {
  return results.flatMap((result) => (result.outcome === 'accepted' ? [result.messageId] : []));
}

async function eventually(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await sleep(10);
  }
}

/** An SMSC that binds anyone and accepts every submit_sm with an empty message_id. */
async function aSilentIdSmsc(): Promise<number> {
  const server = createSmppServer((session) => {
    session.on('error', () => undefined);
    session.on('pdu', (pdu) => {
      if (pdu.command === 'bind_transceiver' || pdu.command === 'submit_sm' || pdu.command === 'unbind') session.send(pdu.response());
    });
  });
  running.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('SmppGateway: message parts on the wire', () => {
  it('sends 300 characters of Vietnamese with diacritics as five UCS-2 parts that reassemble to the text', async () => {
    const { simulator, port } = await aSimulator();
    const { gateway } = await aBoundGateway(port);

    const result = await gateway.submit(anSms(0, { to: PHONE, text: VIETNAMESE_300, encoding: 'UCS-2' }));

    expect(result.outcome).toBe('accepted');
    // The simulator joins parts by their shared reference: five parts under different ones would make no message.
    expect(simulator.received()).toEqual([
      { to: '84912345678', text: VIETNAMESE_300, encoding: 'UCS-2', parts: 5, dataCoding: 8, receivedAt: expect.any(Number) },
    ]);
  });

  it('sends the same text stripped of diacritics as two GSM-7 parts with data_coding 0', async () => {
    const { simulator, port } = await aSimulator();
    const { gateway } = await aBoundGateway(port);

    await gateway.submit(anSms(0, { to: PHONE, text: STRIPPED_300 }));

    expect(simulator.received()).toEqual([
      { to: '84912345678', text: STRIPPED_300, encoding: 'GSM-7', parts: 2, dataCoding: 0, receivedAt: expect.any(Number) },
    ]);
  });

  it('ties the parts with SAR TLVs when configured so', async () => {
    const { simulator, port } = await aSimulator();
    const { gateway } = await aBoundGateway(port, { split: 'sar' });

    await gateway.submit(anSms(0, { text: VIETNAMESE_300, encoding: 'UCS-2' }));

    expect(simulator.received()).toMatchObject([{ text: VIETNAMESE_300, parts: 5, dataCoding: 8 }]);
  });

  it('carries GSM-7 extension characters intact', async () => {
    const { simulator, port } = await aSimulator();
    const { gateway } = await aBoundGateway(port);

    await gateway.submit(anSms(0, { text: 'Phi 10€ [mien phi] {1022}' }));

    expect(simulator.received()).toMatchObject([{ text: 'Phi 10€ [mien phi] {1022}', encoding: 'GSM-7', dataCoding: 0 }]);
  });

  it('refuses a destination that is not an international number without sending anything, and masks it', async () => {
    const { simulator, port } = await aSimulator();
    const { gateway } = await aBoundGateway(port);

    const result = await gateway.submit(anSms(0, { to: '0912345678' }));

    expect(result).toEqual({ outcome: 'permanent', reason: 'the destination is not an E.164 number: *******678' });
    expect(simulator.received()).toEqual([]);
  });
});

describe('SmppGateway: delivery receipts', () => {
  it('reports a delivered receipt under the id the submit returned, one per message however many parts', async () => {
    const { port } = await aSimulator();
    const { gateway, reports } = await aBoundGateway(port);

    const results = [await gateway.submit(anSms(1)), await gateway.submit(anSms(2, { text: VIETNAMESE_300, encoding: 'UCS-2' }))];
    await eventually(() => reports.length === 2);
    await sleep(50);

    expect(reports).toHaveLength(2);
    expect(reports.map((report) => report.messageId).sort()).toEqual(acceptedIds(results).sort());
    expect(reports[0]).toEqual({ gatewayId: 'smpp-vnpt', messageId: expect.any(String), status: 'delivered', at: expect.any(String) });
    expect(gateway.status().receipts).toBe(2);
  });

  it("dates a report no earlier than its submission, though the receipt's done date has minutes only", async () => {
    const { port } = await aSimulator();
    const { gateway, reports } = await aBoundGateway(port);

    const submittedAt = Date.now();
    await gateway.submit(anSms());
    await eventually(() => reports.length === 1);

    const at = Date.parse(reports[0]!.at);
    expect(at).toBeGreaterThanOrEqual(submittedAt);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('reports an undelivered receipt as failed, with the stat and err as the error', async () => {
    const { port } = await aSimulator({ undeliveredRate: 1 });
    const { gateway, reports } = await aBoundGateway(port);

    const result = await gateway.submit(anSms());
    await eventually(() => reports.length === 1);

    expect(reports[0]).toMatchObject({ messageId: acceptedIds([result])[0], status: 'failed', error: 'UNDELIV err:001' });
  });

  it('matches hexadecimal submit ids with decimal receipt ids when configured so', async () => {
    const { port } = await aSimulator({ hexMessageIds: true });
    const { gateway, reports } = await aBoundGateway(port, { messageIds: { submit: 'hex', receipt: 'decimal' } });

    const ids = acceptedIds(await submitMany(gateway, 5));
    await eventually(() => reports.length === 5);

    expect(ids).toHaveLength(5);
    expect(ids.every((id) => /^c0de[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(reports.map((report) => report.messageId).sort()).toEqual(ids.sort());
  });

  it('matches none of them when the receipt base is configured wrong', async () => {
    const { port } = await aSimulator({ hexMessageIds: true });
    const { gateway, reports } = await aBoundGateway(port, { messageIds: { submit: 'hex', receipt: 'hex' } });

    const ids = new Set(acceptedIds(await submitMany(gateway, 5)));
    await eventually(() => reports.length === 5);

    expect(reports.filter((report) => ids.has(report.messageId))).toEqual([]);
  });

  it('reports a repeated receipt again, for the store to deduplicate', async () => {
    const { port } = await aSimulator({ duplicateReceiptRate: 1 });
    const { gateway, reports } = await aBoundGateway(port);

    const ids = acceptedIds(await submitMany(gateway, 3));
    await eventually(() => reports.length === 6);

    expect(reports.map((report) => report.messageId).sort()).toEqual([...ids, ...ids].sort());
  });

  it('acknowledges and counts a mobile-originated deliver_sm, logging the number masked', async () => {
    const { simulator, port } = await aSimulator();
    const { gateway, logs } = await aBoundGateway(port);

    const status = await simulator.sendMobileOriginated('84912345678', 'TTTT-DNAI', 'Cảm ơn, đã nhận');

    expect(status).toBe(0);
    expect(gateway.status().mobileOriginated).toBe(1);
    expect(logs).toContainEqual(expect.stringContaining('+8491****678'));
    expect(logs.filter((line) => line.includes('84912345678'))).toEqual([]);
  });

  it('takes receipts on the receiver session when bound as transmitter and receiver', async () => {
    const { simulator, port } = await aSimulator();
    const { gateway, reports } = await aBoundGateway(port, { bind: 'transmitter-receiver' });

    const ids = acceptedIds(await submitMany(gateway, 3));
    await eventually(() => reports.length === 3);

    expect(simulator.stats().binds).toBe(2);
    expect(reports.map((report) => report.messageId).sort()).toEqual(ids.sort());
  });
});

describe('SmppGateway: answers the SMSC refuses', () => {
  it.each([
    [0x58, 'throttled'],
    [0x14, 'throttled'],
    [0x08, 'transient'],
    [0x45, 'transient'],
    [0x64, 'transient'],
    [0x0400, 'transient'],
    [0x0b, 'permanent'],
    [0x0a, 'permanent'],
    [0x01, 'permanent'],
    [0x65, 'permanent'],
    [0x66, 'permanent'],
  ])('reads command_status 0x%s as %s', (status, outcome) => {
    expect(outcomeOfCommandStatus(status)).toBe(outcome);
  });

  it('gives a permanent refusal with the status name as the reason', async () => {
    const { port } = await aSimulator({ permanentErrorRate: 1 });
    const { gateway } = await aBoundGateway(port);

    expect(await gateway.submit(anSms())).toEqual({ outcome: 'permanent', reason: 'submit_sm refused: ESME_RINVDSTADR (0x0B)' });
  });

  it('gives a transient refusal, certain that the SMSC does not have the message', async () => {
    const { port } = await aSimulator({ transientErrorRate: 1 });
    const { gateway } = await aBoundGateway(port);

    expect(await gateway.submit(anSms())).toEqual({ outcome: 'transient', reason: 'submit_sm refused: ESME_RSYSERR (0x08)' });
  });

  it('fails a long message for good if one part is refused for good, naming the part', async () => {
    const { port } = await aSimulator({ permanentErrorRate: 1 });
    const { gateway } = await aBoundGateway(port);

    expect(await gateway.submit(anSms(0, { text: VIETNAMESE_300, encoding: 'UCS-2' }))).toEqual({
      outcome: 'permanent',
      reason: 'part 1 of 5: submit_sm refused: ESME_RINVDSTADR (0x0B)',
    });
  });

  it('counts a part accepted without a message id as uncertain: the SMSC has it, but no receipt could match it', async () => {
    const port = await aSilentIdSmsc();
    const { gateway } = await aBoundGateway(port);

    expect(await gateway.submit(anSms())).toEqual({
      outcome: 'transient',
      uncertain: true,
      reason: 'the SMSC accepted the part without a message id',
    });
  });

  it('returns throttled to the caller when the SMSC throttles, fails nothing, and pauses longer each time', async () => {
    const { port } = await aSimulator({ throttleAbovePerSecond: 3 });
    // One at a time, so that each answer is known before the next part leaves.
    const { gateway } = await aBoundGateway(port, { window: 1 });

    const answers: { outcome: string; at: number }[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        gateway.submit(anSms(index)).then(({ outcome }) => answers.push({ outcome, at: performance.now() })),
      ),
    );

    const outcomes = answers.map((answer) => answer.outcome);
    expect(outcomes.filter((outcome) => outcome === 'throttled').length).toBeGreaterThan(0);
    expect(outcomes.filter((outcome) => outcome !== 'throttled' && outcome !== 'accepted')).toEqual([]);
    expect(gateway.status().throttled).toBe(outcomes.filter((outcome) => outcome === 'throttled').length);
    let pauseMs = 100;
    for (let index = 1; index < answers.length; index++) {
      if (answers[index - 1]!.outcome !== 'throttled') {
        pauseMs = 100;
        continue;
      }
      // A millisecond of tolerance: Date.now() and performance.now() round differently.
      expect(answers[index]!.at - answers[index - 1]!.at).toBeGreaterThanOrEqual(pauseMs - 1);
      pauseMs *= 2;
    }
  });
});

describe('SmppGateway: window and timeouts', () => {
  it('never has more submit_sm outstanding than its window', async () => {
    const { simulator, port } = await aSimulator({ responseDelayMs: 50 });
    const { gateway } = await aBoundGateway(port, { window: 4 });

    const results = await submitMany(gateway, 20);

    expect(acceptedIds(results)).toHaveLength(20);
    expect(simulator.stats().maxPendingResponses).toBe(4);
  });

  it('answers transient and uncertain when the submit_sm_resp does not come in time', async () => {
    const { port } = await aSimulator({ responseDelayMs: 300 });
    const { gateway } = await aBoundGateway(port, { responseTimeoutMs: 100 });

    const result = await gateway.submit(anSms());

    expect(result).toEqual({ outcome: 'transient', uncertain: true, reason: 'no submit_sm_resp within 100 ms' });
    expect(gateway.status().outstanding).toBe(0);
  });

  it('sends enquire_link when the link is idle, and stays bound', async () => {
    const { simulator, port } = await aSimulator();
    const { gateway } = await aBoundGateway(port, { enquireLinkMs: 50 });

    await eventually(() => simulator.stats().enquireLinks >= 2);

    expect(gateway.status().state).toBe('bound');
  });
});

describe('SmppGateway: binding and connection loss', () => {
  it('rejects start with the refusal when the password is wrong', async () => {
    const { port } = await aSimulator();
    const { gateway } = aGateway(port, { password: 'wrong' });

    const started = gateway.start();

    await expect(started).rejects.toThrow(SmppBindRefusedError);
    await expect(started).rejects.toThrow(`127.0.0.1:${port} refused bind_transceiver as "loa": ESME_RINVPASWD (0x0E)`);
    expect(gateway.status().state).toBe('closed');
  });

  it('unbinds on close', async () => {
    const { simulator, port } = await aSimulator();
    const { gateway } = await aBoundGateway(port, { bind: 'transmitter-receiver' });

    await gateway.close();

    expect(simulator.stats().unbinds).toBe(2);
    expect(gateway.status().state).toBe('closed');
    expect(await gateway.submit(anSms())).toEqual({ outcome: 'transient', reason: 'the gateway is closed' });
  });

  it('reconnects after dropped connections, and every submit ends accepted or transient', async () => {
    const { simulator, port } = await aSimulator({ dropConnectionEvery: 7 });
    const { gateway } = await aBoundGateway(port, { window: 5 });

    const results = await submitMany(gateway, 40);

    expect(results.filter((result) => result.outcome !== 'accepted' && result.outcome !== 'transient')).toEqual([]);
    expect(results.some((result) => result.outcome === 'transient' && result.uncertain)).toBe(true);
    expect(gateway.status().reconnects).toBeGreaterThanOrEqual(1);
    // What the gateway called accepted, the SMSC has; it may have more (the uncertain ones).
    const receivedBy = new Set(simulator.received().map((message) => `+${message.to}`));
    const acceptedTo = results.flatMap((result, index) => (result.outcome === 'accepted' ? [anSms(index).to] : []));
    expect(acceptedTo.filter((to) => !receivedBy.has(to))).toEqual([]);
    await eventually(() => gateway.status().state === 'bound');
  });

  it('rebinds after the SMSC unbinds, and a submit made meanwhile waits for the new bind', async () => {
    const { simulator, port } = await aSimulator();
    const { gateway } = await aBoundGateway(port);

    await simulator.unbindAll();
    const result = await gateway.submit(anSms());

    expect(result.outcome).toBe('accepted');
    expect(gateway.status().reconnects).toBe(1);
  });

  it('answers transient, not uncertain, to a submit that waited longer than the response timeout for a bind', async () => {
    const { simulator, port } = await aSimulator();
    const { gateway } = await aBoundGateway(port, { responseTimeoutMs: 150 });
    await simulator.close();
    await eventually(() => gateway.status().state === 'connecting');

    const result = await gateway.submit(anSms());

    expect(result).toEqual({ outcome: 'transient', reason: 'not bound to the SMSC for 150 ms' });
    expect(gateway.status().state).toBe('connecting');
  });
});
