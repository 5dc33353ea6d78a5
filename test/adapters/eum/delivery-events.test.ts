import { describe, expect, it } from 'vitest';
import { parseDeliveryEvent } from '../../../lambdas/adapters/eum/delivery-events.js';

/** The SMS event of End User Messaging's documentation ("SMS example log"), with Loa's context. */
function documentedEvent(overrides: Record<string, unknown> = {}) {
  return {
    eventType: 'TEXT_SUCCESSFUL',
    eventVersion: '1.0',
    eventTimestamp: 1686975103470,
    isFinal: true,
    originationPhoneNumber: '+12065550152',
    destinationPhoneNumber: '+14255550156',
    isInternationalSend: false,
    mcc: '310',
    mnc: '800',
    messageId: '862a8790-60c0-4430-9b2b-658bdexample',
    messageRequestTimestamp: 1686975103170,
    messageEncoding: 'GSM',
    messageType: 'PROMOTIONAL',
    messageStatus: 'SUCCESSFUL',
    messageStatusDescription: 'Message has been accepted by phone carrier',
    context: { loaGateway: 'eum-vn', loaCampaign: 'cmp_1', loaRun: 'run_1', loaPhone: '+14255550156' },
    totalMessageParts: 1,
    totalMessagePrice: 0.09582,
    totalCarrierFee: 0.0,
    ...overrides,
  };
}

const parse = (event: unknown) => parseDeliveryEvent(JSON.stringify(event), 'eum');

describe('parseDeliveryEvent', () => {
  it('reads the documented example as a delivered report naming its gateway and receipt', () => {
    expect(parse(documentedEvent())).toEqual({
      report: {
        gatewayId: 'eum-vn',
        messageId: '862a8790-60c0-4430-9b2b-658bdexample',
        status: 'delivered',
        at: '2023-06-17T04:11:43.470Z',
        receipt: { campaignId: 'cmp_1', runId: 'run_1', phone: '+14255550156' },
      },
    });
  });

  it('reads a Vietnamese delivery with its carrier, and a failure with its status and description, numbers masked', () => {
    const vn = { mcc: '452', mnc: '04', destinationPhoneNumber: '+84971000001' };
    expect(parse(documentedEvent({ ...vn, eventType: 'TEXT_DELIVERED', messageStatus: 'DELIVERED' }))).toMatchObject({
      report: { status: 'delivered', carrier: 'viettel' },
    });
    const failed = parse(
      documentedEvent({
        ...vn,
        eventType: 'TEXT_CARRIER_UNREACHABLE',
        messageStatus: 'CARRIER_UNREACHABLE',
        messageStatusDescription: 'Carrier could not reach +84971000001',
      }),
    );
    expect(failed).toMatchObject({ report: { status: 'failed', error: 'CARRIER_UNREACHABLE: Carrier could not reach +8497****001' } });
  });

  it('skips an event that is not final, and reads one wrapped in an SNS envelope', () => {
    expect(parse(documentedEvent({ eventType: 'TEXT_PENDING', messageStatus: 'PENDING', isFinal: false }))).toEqual({
      skipped: 'PENDING is not final',
    });
    const envelope = { Type: 'Notification', MessageId: 'sns-1', Message: JSON.stringify(documentedEvent()) };
    expect(parse(envelope)).toMatchObject({ report: { status: 'delivered', messageId: '862a8790-60c0-4430-9b2b-658bdexample' } });
  });

  it('reports a final event without Loa context under the fallback gateway, without a receipt (found by message id)', () => {
    const parsed = parse(documentedEvent({ context: { account: 'bar' }, eventType: 'TEXT_TTL_EXPIRED', messageStatus: 'TTL_EXPIRED' }));
    expect(parsed).toEqual({
      report: {
        gatewayId: 'eum',
        messageId: '862a8790-60c0-4430-9b2b-658bdexample',
        status: 'failed',
        error: 'TTL_EXPIRED: Message has been accepted by phone carrier',
        at: '2023-06-17T04:11:43.470Z',
      },
    });
  });

  it.each([
    ['not JSON', 'SMS to +84971000001', 'not JSON'],
    ['a voice event', JSON.stringify(documentedEvent({ eventType: 'VOICE_COMPLETED' })), 'not an SMS event: eventType "VOICE_COMPLETED"'],
    ['an event without id', JSON.stringify(documentedEvent({ messageId: undefined })), 'no messageId'],
    ['an unknown status', JSON.stringify(documentedEvent({ messageStatus: 'LOST' })), 'unknown messageStatus "LOST"'],
  ])('rejects %s with a reason and no number', (_, body, reason) => {
    expect(parseDeliveryEvent(body, 'eum')).toEqual({ rejected: reason });
  });
});
