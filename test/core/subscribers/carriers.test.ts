import { describe, expect, it } from 'vitest';
import { CARRIERS, carrierFromPrefix, parseCarrier } from '../../../lambdas/core/subscribers/carriers.js';

describe('carrierFromPrefix', () => {
  it.each([
    ['+84321234567', 'viettel'],
    ['+84861234567', 'viettel'],
    ['+84981234567', 'viettel'],
    ['+84811234567', 'vinaphone'],
    ['+84941234567', 'vinaphone'],
    ['+84871234567', 'itel'],
    ['+84701234567', 'mobifone'],
    ['+84891234567', 'mobifone'],
    ['+84521234567', 'vietnamobile'],
    ['+84921234567', 'vietnamobile'],
    ['+84591234567', 'gmobile'],
    ['+84991234567', 'gmobile'],
    ['+84551234567', 'reddi'],
  ])('guesses the carrier of %s from its prefix as %s', (e164, carrier) => {
    expect(carrierFromPrefix(e164)).toBe(carrier);
  });

  it('knows no carrier for a prefix that is not a 2018 mobile range', () => {
    expect(carrierFromPrefix('+84301234567')).toBeUndefined();
    expect(carrierFromPrefix('+842438251234')).toBeUndefined();
  });

  it('knows no carrier for numbers that are not +84 and nine digits', () => {
    expect(carrierFromPrefix('0912345678')).toBeUndefined();
    expect(carrierFromPrefix('+8491234567')).toBeUndefined();
    expect(carrierFromPrefix('+849123456789')).toBeUndefined();
    expect(carrierFromPrefix('+14155550100')).toBeUndefined();
  });
});

describe('parseCarrier', () => {
  it('reads every carrier code as itself', () => {
    for (const carrier of CARRIERS) expect(parseCarrier(carrier)).toBe(carrier);
  });

  it.each([
    ['Viettel', 'viettel'],
    ['VIETTEL', 'viettel'],
    ['VinaPhone', 'vinaphone'],
    ['VNPT', 'vinaphone'],
    ['VNPT-VinaPhone', 'vinaphone'],
    ['Mobifone', 'mobifone'],
    ['MobiPhone', 'mobifone'],
    ['Vietnamobile', 'vietnamobile'],
    ['Vietnam Mobile', 'vietnamobile'],
    ['Gmobile', 'gmobile'],
    ['iTel', 'itel'],
    ['Reddi', 'reddi'],
    ['Wintel', 'reddi'],
    ['  viettel  ', 'viettel'],
  ])('reads "%s" as %s', (input, carrier) => {
    expect(parseCarrier(input)).toBe(carrier);
  });

  it('knows nothing of names that are not our carriers', () => {
    expect(parseCarrier('foo')).toBeUndefined();
    expect(parseCarrier('')).toBeUndefined();
    expect(parseCarrier('Verizon')).toBeUndefined();
  });
});
