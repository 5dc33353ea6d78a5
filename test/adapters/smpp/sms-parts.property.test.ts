import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataCoding, encodeGsm7, type SubmitSmFields, submitSmParts } from '../../../lambdas/adapters/smpp/smpp-message-parts.js';
import { countSmsParts, isGsm7, splitSmsParts } from '../../../lambdas/core/templates/sms-parts.js';

const RUNS = { numRuns: 200 };

/** Every BMP character up to the euro sign that GSM 03.38 has, found by asking the counter. */
const GSM_CHARACTERS = Array.from({ length: 0x20ad }, (_, code) => String.fromCharCode(code)).filter(isGsm7);
const GSM_EXTENSION = GSM_CHARACTERS.filter((character) => encodeGsm7(character).length === 2);
const VIETNAMESE = [...'aăâbcdđeêghiklmnoôơpqrstuưvxy .,:ĐƯƠ', ...'áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ'];
const LONE_SURROGATES = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Texts of every kind a message can hold, long enough to need several parts. */
const texts = fc.oneof(
  fc.string({ unit: fc.constantFrom(...GSM_CHARACTERS), maxLength: 700 }),
  fc.string({ unit: fc.oneof(fc.constantFrom(...GSM_EXTENSION), fc.constantFrom('a', ' ', '@')), maxLength: 400 }),
  fc.string({ unit: fc.constantFrom(...VIETNAMESE), maxLength: 400 }),
  fc.string({ unit: fc.constantFrom(...VIETNAMESE), maxLength: 200 }).map((text) => text.normalize('NFD')),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: fc.oneof(fc.constantFrom('a', 'ế', '😀'), LONE_SURROGATES), maxLength: 300 }),
);
const splits = fc.constantFrom('udh' as const, 'sar' as const);

const GSM7_DECODING = new Map(GSM_CHARACTERS.map((character) => [encodeGsm7(character).toString('hex'), character]));

function decodeGsm7(octets: Buffer): string {
  let text = '';
  for (let at = 0; at < octets.length; at++) {
    const width = octets[at] === 0x1b ? 2 : 1;
    text += GSM7_DECODING.get(octets.subarray(at, at + width).toString('hex')) ?? '\ufffd';
    at += width - 1;
  }
  return text;
}

/** The text a PDU carries, without its user data header. */
function payload(pdu: SubmitSmFields, split: 'udh' | 'sar', total: number): Buffer {
  return split === 'udh' && total > 1 ? pdu.short_message.subarray(6) : pdu.short_message;
}

function partsOf(text: string, split: 'udh' | 'sar') {
  return submitSmParts(
    { reference: 'r', to: '+84912345678', text, encoding: countSmsParts(text).encoding },
    {
      sourceAddr: 'TTTT-DNAI',
      systemType: '',
      split,
      concatReference: 0x1a7,
    },
  );
}

describe('SMS parts, for any text', () => {
  it('the parts counted are the parts the SMPP adapter emits, in the encoding counted', () => {
    fc.assert(
      fc.property(texts, splits, (text, split) => {
        const counted = countSmsParts(text);
        const pdus = partsOf(text, split);

        expect(pdus).toHaveLength(counted.parts);
        for (const pdu of pdus) expect(pdu.data_coding).toBe(DataCoding[counted.encoding]);
      }),
      RUNS,
    );
  });

  it('the emitted parts reassemble to the text, each within the size of one part', () => {
    fc.assert(
      fc.property(texts, splits, (text, split) => {
        const { encoding } = countSmsParts(text);
        const pdus = partsOf(text, split);
        const payloads = pdus.map((pdu) => payload(pdu, split, pdus.length));
        const decode = encoding === 'GSM-7' ? decodeGsm7 : (octets: Buffer) => Buffer.from(octets).swap16().toString('utf16le');

        expect(payloads.map(decode).join('')).toBe(text);
        // GSM-7 goes unpacked, an octet a septet: 160 alone, 153 beside a header; UCS-2 140 and 134 octets.
        const limit = encoding === 'GSM-7' ? (pdus.length === 1 ? 160 : 153) : pdus.length === 1 ? 140 : 134;
        for (const octets of payloads) expect(octets.length).toBeLessThanOrEqual(limit);
        if (pdus.length > 1 && split === 'udh') {
          expect(pdus.map((pdu) => [...pdu.short_message.subarray(0, 6)])).toEqual(
            pdus.map((_, index) => [0x05, 0x00, 0x03, 0xa7, pdus.length, index + 1]),
          );
        }
      }),
      RUNS,
    );
  });

  it('splits where the counter says: the parts join to the text and none is empty but a single empty one', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const { parts } = splitSmsParts(text);

        expect(parts.join('')).toBe(text);
        expect(parts.length).toBe(countSmsParts(text).parts);
        if (parts.length > 1) for (const part of parts) expect(part.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });
});
