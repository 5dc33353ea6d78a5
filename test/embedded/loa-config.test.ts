import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_POLICY } from '../../lambdas/core/gateways/gateway-health.js';
import { loadLoaConfig, parseLoaConfig } from '../../lambdas/embedded/loa-config.js';
import { newTempFolder } from '../temp-folder.js';

const smpp = {
  id: 'viettel-smpp',
  type: 'smpp',
  host: '10.0.0.5',
  port: 2775,
  systemId: 'tttt_dnai',
  password: 'env:VIETTEL_SMPP_PASSWORD',
  sourceAddr: 'TTTT-DNAI',
  tps: 100,
  window: 50,
};
const http = {
  id: 'aggregator-http',
  type: 'http',
  request: { url: 'https://rest.example.vn/send', fields: { ApiKey: 'env:ESMS_API_KEY', Phone: '{phone}', Content: '{text}' } },
  response: { codeField: 'CodeResult', accepted: [100], messageIdField: 'SMSID' },
};
const valid = {
  gateways: [smpp, http],
  routes: [
    { carriers: ['viettel'], gateways: ['viettel-smpp', 'aggregator-http'] },
    { carriers: ['*'], gateways: ['aggregator-http'] },
  ],
  prices: { perPart: { viettel: 350, '*': 400 } },
};
const env = { VIETTEL_SMPP_PASSWORD: 's3cret', ESMS_API_KEY: 'key-123' };

describe('the gateway configuration file', () => {
  it('reads gateways, routes and prices, with defaults and the secrets taken from the environment', () => {
    const config = parseLoaConfig(valid, env);
    expect(config.gateways[0]).toMatchObject({
      ...smpp,
      password: 's3cret',
      systemType: '',
      split: 'udh',
      bind: 'transceiver',
      messageIds: { submit: 'text', receipt: 'text' },
    });
    expect(config.gateways[1]).toMatchObject({
      phoneFormat: 'national',
      timeoutMs: 10_000,
      request: { method: 'POST', body: 'json', fields: { ApiKey: 'key-123' } },
      response: { accepted: ['100'], duplicate: [], throttled: [], transient: [] },
    });
    expect(config.routes).toEqual(valid.routes);
    expect(config.health).toEqual(DEFAULT_HEALTH_POLICY);
    expect(config.prices).toEqual({ currency: 'VND', perPart: { viettel: 350, '*': 400 } });
  });

  it.each([
    ['a missing secret', valid, {}, 'gateways.0.password: environment variable VIETTEL_SMPP_PASSWORD is not set'],
    ['an unknown gateway type', { ...valid, gateways: [{ ...smpp, type: 'soap' }, http] }, env, 'gateways.0.type'],
    ['a port out of range', { ...valid, gateways: [{ ...smpp, port: 70000 }, http] }, env, 'gateways.0.port'],
    [
      'a password longer than SMPP allows',
      { ...valid, gateways: [{ ...smpp, password: 'much-too-long' }, http] },
      env,
      'gateways.0.password',
    ],
    [
      'a route to an unknown gateway',
      { ...valid, routes: [{ carriers: ['*'], gateways: ['nowhere'] }] },
      env,
      'routes.0.gateways.0: no gateway nowhere',
    ],
    [
      'an unknown carrier',
      { ...valid, routes: [{ carriers: ['viettle'], gateways: ['viettel-smpp'] }, ...valid.routes] },
      env,
      'routes.0.carriers.0',
    ],
    ['no route for other carriers', { ...valid, routes: [valid.routes[0]] }, env, "routes: needs a route for carriers ['*']"],
    [
      'a gateway id used twice',
      { ...valid, gateways: [smpp, { ...http, id: 'viettel-smpp' }] },
      env,
      'gateways.1.id: viettel-smpp is used twice',
    ],
    [
      'restore above trip',
      { ...valid, health: { tripErrorRate: 0.2, restoreErrorRate: 0.3 } },
      env,
      'health.restoreErrorRate: must be below tripErrorRate',
    ],
  ])('stops on %s, naming the field', (_, json, environment, message) => {
    expect(() => parseLoaConfig(json, environment)).toThrow(message);
  });

  it('takes SMPP over TLS with a CA file to trust', () => {
    const dir = newTempFolder('loa-config-');
    writeFileSync(join(dir, 'smsc-ca.pem'), 'a PEM file');
    const tls = { ...smpp, tls: true, caFile: join(dir, 'smsc-ca.pem') };

    expect(parseLoaConfig({ ...valid, gateways: [tls, http] }, env).gateways[0]).toMatchObject({ tls: true, caFile: tls.caFile });
    expect(() => parseLoaConfig({ ...valid, gateways: [{ ...tls, caFile: join(dir, 'missing.pem') }, http] }, env)).toThrow(
      `gateways.0.caFile: gateway viettel-smpp: cannot read ${join(dir, 'missing.pem')}`,
    );
    expect(() => parseLoaConfig({ ...valid, gateways: [{ ...tls, tls: false }, http] }, env)).toThrow(
      'gateways.0.caFile: gateway viettel-smpp: caFile applies only with "tls": true',
    );
  });

  it('refuses an HTTP gateway over plain http, naming it, except on loopback', () => {
    const over = (url: string) => ({ ...valid, gateways: [smpp, { ...http, request: { ...http.request, url } }] });

    expect(() => parseLoaConfig(over('http://rest.example.vn/send'), env)).toThrow(
      'gateways.1.request.url: gateway aggregator-http must use https: http is allowed only on loopback',
    );
    expect(() => parseLoaConfig(over('http://10.0.0.7:8080/send'), env)).toThrow('gateway aggregator-http must use https');
    for (const url of ['http://127.0.0.1:8080/send', 'http://127.3.2.1/send', 'http://[::1]:9000/send', 'http://localhost:9000/send']) {
      expect(parseLoaConfig(over(url), env).gateways[1]).toMatchObject({ request: { url } });
    }
  });

  it('is read from LOA_CONFIG, else ./loa.config.json, else there is none', () => {
    const dir = newTempFolder('loa-config-');
    expect(loadLoaConfig({}, dir)).toBeUndefined();
    writeFileSync(join(dir, 'loa.config.json'), JSON.stringify(valid));
    expect(loadLoaConfig(env, dir)?.gateways).toHaveLength(2);
    writeFileSync(join(dir, 'broken.json'), '{ "gateways": [');
    expect(() => loadLoaConfig({ ...env, LOA_CONFIG: join(dir, 'broken.json') }, dir)).toThrow(/broken.json: not JSON/);
    expect(() => loadLoaConfig({ LOA_CONFIG: join(dir, 'missing.json') }, dir)).toThrow(/missing.json: cannot read it \(ENOENT\)/);
  });
});

describe('the configuration in the README', () => {
  it('is valid as printed', () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    const example = /## Gateways[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
    const config = parseLoaConfig(JSON.parse(example!), {
      VIETTEL_SMPP_PASSWORD: 'pw',
      ESMS_API_KEY: 'key',
      ESMS_SECRET_KEY: 'secret',
      ESMS_CALLBACK_URL: 'https://loa.example.org/v1/dlr/esms?token=a-token-of-sixteen-plus',
      ESMS_WEBHOOK_TOKEN: 'a-token-of-sixteen-plus',
    });
    expect(config.gateways.map((gateway) => gateway.type)).toEqual(['smpp', 'http']);
    expect(config.routes[0]).toEqual({ carriers: ['viettel'], gateways: ['viettel-smpp', 'esms'] });
  });
});
