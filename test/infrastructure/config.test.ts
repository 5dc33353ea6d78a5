/** The stack's settings from CDK context (lib/config.ts). */
import { describe, expect, it } from 'vitest';
import { DEFAULTS, LoaConfigError, stackPropsFromContext } from '../../lib/config.js';

const read = (context: Record<string, unknown>) => stackPropsFromContext((key) => context[key]);

describe('stackPropsFromContext', () => {
  it('needs no context at all: a dev stage with the default sender and rate', () => {
    expect(read({})).toEqual({ stage: 'dev', senderId: DEFAULTS.senderId, senderTps: DEFAULTS.senderTps });
  });

  it('reads the stage, sender ID, alarm e-mail, rate and console origin as the CLI passes them (strings)', () => {
    expect(
      read({
        stage: 'prod',
        senderId: 'SOYTE',
        alarmEmail: 'ops@example.vn',
        senderTps: '100',
        testNumbers: '+84912345678, +84983000111',
        consoleOrigin: 'https://loa.example.vn',
        snsDeliveryLogs: 'existing',
        prices: '{"currency":"USD","perPart":{"viettel":0.0268,"*":0.03}}',
        integrationClients: '{"6f1k2hotline":{"actions":["opt-outs.add"],"areas":["DNI-BHOA"]}}',
      }),
    ).toEqual({
      testNumbers: ['+84912345678', '+84983000111'],
      stage: 'prod',
      senderId: 'SOYTE',
      alarmEmail: 'ops@example.vn',
      senderTps: 100,
      consoleOrigin: 'https://loa.example.vn',
      snsDeliveryLogs: 'existing',
      prices: { currency: 'USD', perPart: { viettel: 0.0268, '*': 0.03 } },
      integrationClients: { '6f1k2hotline': { actions: ['opt-outs.add'], areas: ['DNI-BHOA'] } },
    });
  });

  it("creates no SNS delivery-status log groups unless asked: they are the account's, not the stage's", () => {
    expect(read({ snsDeliveryLogs: 'none' })).not.toHaveProperty('snsDeliveryLogs');
    expect(read({ snsDeliveryLogs: 'create' })).toMatchObject({ snsDeliveryLogs: 'create' });
  });

  it.each([
    [{ stage: 'Prod' }, /stage/],
    [{ senderId: 'SO YTE' }, /senderId/],
    [{ senderId: 'TOOLONGSENDER' }, /senderId/],
    [{ senderId: '12345' }, /senderId/],
    [{ senderTps: 'fast' }, /senderTps/],
    [{ senderTps: '0' }, /senderTps/],
    [{ alarmEmail: 'ops' }, /alarmEmail/],
    [{ stage: 'prod' }, /alarmEmail is required/],
    [{ consoleOrigin: 'http://loa.example.vn' }, /consoleOrigin/],
    [{ testNumbers: '0912345678' }, /testNumbers/],
    [{ prices: 'viettel=350' }, /prices: expected JSON/],
    [{ prices: '{"perPart":{"viettel":-1}}' }, /prices: perPart: viettel: /],
    [{ integrationClients: '{"c":{"actions":["campaigns.approve"]}}' }, /integrationClients: c: actions: 0: /],
    [{ snsDeliveryLogs: 'true' }, /snsDeliveryLogs must be create, existing or none/],
  ])('refuses %j', (context, message) => {
    expect(() => read(context)).toThrow(LoaConfigError);
    expect(() => read(context)).toThrow(message);
  });
});
