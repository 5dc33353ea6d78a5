/** The Vietnamese mobile carriers we route to; the names are the stable codes stored with each subscriber. */
export const CARRIERS = ['viettel', 'vinaphone', 'mobifone', 'vietnamobile', 'gmobile', 'itel', 'reddi'] as const;

export type Carrier = (typeof CARRIERS)[number];

/**
 * The first two digits after +84 of each carrier's mobile numbers, as allocated in the 2018 conversion
 * to 10-digit numbers. Numbers have been portable between carriers since 2018, so a prefix is only a
 * guess; a carrier given explicitly (by an import or by a gateway) must win over it.
 */
const PREFIXES_BY_CARRIER: Readonly<Record<Carrier, readonly string[]>> = {
  viettel: ['32', '33', '34', '35', '36', '37', '38', '39', '86', '96', '97', '98'],
  vinaphone: ['81', '82', '83', '84', '85', '88', '91', '94'],
  // iTel runs on VinaPhone's network but is a carrier of its own for billing and brandname registration.
  itel: ['87'],
  mobifone: ['70', '76', '77', '78', '79', '89', '90', '93'],
  vietnamobile: ['52', '56', '58', '92'],
  gmobile: ['59', '99'],
  reddi: ['55'],
};

const CARRIER_BY_PREFIX: ReadonlyMap<string, Carrier> = new Map(
  CARRIERS.flatMap((carrier) => PREFIXES_BY_CARRIER[carrier].map((prefix) => [prefix, carrier] as const)),
);

/** A Vietnamese mobile number in E.164: +84, then the two-digit prefix, then seven more digits. */
const VIETNAMESE_MOBILE_E164 = /^\+84(\d{2})\d{7}$/;

/**
 * Guesses the carrier of a Vietnamese mobile number from its prefix. Returns undefined for anything
 * that is not +84 followed by nine digits with a known mobile prefix, so it also tells whether a
 * number sits in a mobile range at all.
 */
export function carrierFromPrefix(e164: string): Carrier | undefined {
  const prefix = VIETNAMESE_MOBILE_E164.exec(e164)?.[1];
  return prefix === undefined ? undefined : CARRIER_BY_PREFIX.get(prefix);
}

/**
 * The spellings people put in spreadsheets and gateways put in reports, with case, spaces, dots,
 * dashes and underscores removed before lookup.
 */
const CARRIER_BY_SPELLING: ReadonlyMap<string, Carrier> = new Map([
  ['viettel', 'viettel'],
  ['vinaphone', 'vinaphone'],
  ['vina', 'vinaphone'],
  // VNPT is VinaPhone's parent company, and its name is often used for the network.
  ['vnpt', 'vinaphone'],
  ['vnptvinaphone', 'vinaphone'],
  ['mobifone', 'mobifone'],
  ['mobiphone', 'mobifone'],
  ['mobi', 'mobifone'],
  ['vietnamobile', 'vietnamobile'],
  ['vietnammobile', 'vietnamobile'],
  ['gmobile', 'gmobile'],
  // Gtel Mobile is the company behind the Gmobile brand.
  ['gtel', 'gmobile'],
  ['gtelmobile', 'gmobile'],
  ['itel', 'itel'],
  ['itelecom', 'itel'],
  ['reddi', 'reddi'],
  // Mobicast is the company behind Reddi; Wintel is the brand that took over Reddi's 055 numbers.
  ['mobicast', 'reddi'],
  ['wintel', 'reddi'],
]);

/** Reads a carrier name as people write it ("VinaPhone", "VNPT", "iTel"); undefined if it names none of ours. */
export function parseCarrier(input: string): Carrier | undefined {
  return CARRIER_BY_SPELLING.get(input.toLowerCase().replace(/[\s._-]+/g, ''));
}

/**
 * Vietnam's mobile network codes (MCC 452), as gateways such as SNS report the network that delivered a
 * message. iTel runs on VinaPhone's network and is reported as VinaPhone.
 */
const NETWORK_CODES: Readonly<Record<number, Carrier>> = {
  1: 'mobifone',
  2: 'vinaphone',
  4: 'viettel',
  5: 'vietnamobile',
  7: 'gmobile',
};

export function carrierFromNetworkCode(mcc: unknown, mnc: unknown): Carrier | undefined {
  return Number(mcc) === 452 ? NETWORK_CODES[Number(mnc)] : undefined;
}
