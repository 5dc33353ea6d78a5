import { describe, expect, it } from 'vitest';
import { encodeGsm7, type SubmitSmOptions, submitSmParts, UnsendableSmsError } from '../../../lambdas/adapters/smpp/smpp-message-parts.js';
import type { OutgoingSms } from '../../../lambdas/core/ports.js';
import { STRIPPED_300, VIETNAMESE_300 } from './vietnamese-texts.js';

function anSms(overrides: Partial<OutgoingSms> = {}): OutgoingSms {
  return { reference: 'cmp_1:run_1:+84912345678', to: '+84912345678', text: 'Thong bao tu UBND tinh', encoding: 'GSM-7', ...overrides };
}

const OPTIONS: SubmitSmOptions = { sourceAddr: 'TTTT-DNAI', systemType: '', split: 'udh', concatReference: 0x1a7 };

function ucs2Text(octets: Buffer): string {
  return Buffer.from(octets).swap16().toString('utf16le');
}

describe('submitSmParts', () => {
  it('sends a short GSM-7 text as one part with no header, data_coding 0, and asks for a receipt', () => {
    const [part, ...rest] = submitSmParts(anSms({ text: 'Hello @ home' }), OPTIONS);

    expect(rest).toEqual([]);
    expect(part).toEqual({
      service_type: '',
      source_addr_ton: 5,
      source_addr_npi: 0,
      source_addr: 'TTTT-DNAI',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '84912345678',
      esm_class: 0,
      registered_delivery: 1,
      data_coding: 0,
      short_message: Buffer.from([0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x00, 0x20, 0x68, 0x6f, 0x6d, 0x65]),
    });
  });

  it('gives a numeric source address the international TON and the ISDN NPI', () => {
    const [part] = submitSmParts(anSms(), { ...OPTIONS, sourceAddr: '84901022022' });

    expect(part).toMatchObject({ source_addr: '84901022022', source_addr_ton: 1, source_addr_npi: 1 });
  });

  it('splits Vietnamese with diacritics into five UCS-2 parts sharing one concatenation reference', () => {
    const parts = submitSmParts(anSms({ text: VIETNAMESE_300, encoding: 'UCS-2' }), OPTIONS);

    expect(parts).toHaveLength(5);
    parts.forEach((part, index) => {
      expect(part.data_coding).toBe(8);
      expect(part.esm_class).toBe(0x40);
      expect([...part.short_message.subarray(0, 6)]).toEqual([0x05, 0x00, 0x03, 0xa7, 5, index + 1]);
      expect(part.short_message.length).toBeLessThanOrEqual(6 + 134);
    });
    expect(parts.map((part) => ucs2Text(part.short_message.subarray(6))).join('')).toBe(VIETNAMESE_300);
  });

  it('asks for a receipt on the last part only', () => {
    const parts = submitSmParts(anSms({ text: VIETNAMESE_300, encoding: 'UCS-2' }), OPTIONS);

    expect(parts.map((part) => part.registered_delivery)).toEqual([0, 0, 0, 0, 1]);
  });

  it('splits the same text without diacritics into two GSM-7 parts of one septet an octet', () => {
    const parts = submitSmParts(anSms({ text: STRIPPED_300 }), OPTIONS);

    expect(parts.map((part) => [part.data_coding, part.short_message.length])).toEqual([
      [0, 6 + 153],
      [0, 6 + 147],
    ]);
    expect(parts.map((part) => part.short_message.subarray(6).toString('latin1')).join('')).toBe(STRIPPED_300);
  });

  it('ties parts together with SAR TLVs instead of a header when asked to', () => {
    const parts = submitSmParts(anSms({ text: VIETNAMESE_300, encoding: 'UCS-2' }), { ...OPTIONS, split: 'sar' });

    expect(parts.map((part) => [part.esm_class, part.sar_msg_ref_num, part.sar_total_segments, part.sar_segment_seqnum])).toEqual([
      [0, 0x1a7, 5, 1],
      [0, 0x1a7, 5, 2],
      [0, 0x1a7, 5, 3],
      [0, 0x1a7, 5, 4],
      [0, 0x1a7, 5, 5],
    ]);
    expect(parts.map((part) => ucs2Text(part.short_message)).join('')).toBe(VIETNAMESE_300);
  });

  it('keeps an escape pair in one part when an extension character falls on the boundary', () => {
    const parts = submitSmParts(anSms({ text: `${'a'.repeat(152)}€${'b'.repeat(10)}` }), OPTIONS);

    expect(parts[0]!.short_message.subarray(6)).toEqual(Buffer.from('a'.repeat(152), 'latin1'));
    expect([...parts[1]!.short_message.subarray(6, 8)]).toEqual([0x1b, 0x65]);
  });

  it.each(['0912345678', '84912345678', '+84 912 345 678'])('refuses %s, which is not an E.164 number', (to) => {
    expect(() => submitSmParts(anSms({ to }), OPTIONS)).toThrow(UnsendableSmsError);
  });

  it('refuses a text of more parts than a concatenation header can count', () => {
    expect(() => submitSmParts(anSms({ text: 'a'.repeat(153 * 255 + 1) }), OPTIONS)).toThrow(
      'the text needs 256 parts, more than the 255 of a concatenated SMS',
    );
    expect(submitSmParts(anSms({ text: 'a'.repeat(153 * 255) }), OPTIONS)).toHaveLength(255);
  });
});

describe('encodeGsm7', () => {
  it('writes extension characters as ESC and their septet', () => {
    expect([...encodeGsm7('10€ {[~]}|^\\')]).toEqual([
      0x31, 0x30, 0x1b, 0x65, 0x20, 0x1b, 0x28, 0x1b, 0x3c, 0x1b, 0x3d, 0x1b, 0x3e, 0x1b, 0x29, 0x1b, 0x40, 0x1b, 0x14, 0x1b, 0x2f,
    ]);
  });

  it('writes the characters whose GSM code differs from ASCII at their GSM position', () => {
    expect([...encodeGsm7('@£$¥_!¡§äà')]).toEqual([0x00, 0x01, 0x02, 0x03, 0x11, 0x21, 0x40, 0x5f, 0x7b, 0x7f]);
  });

  it('refuses a character outside GSM 03.38 rather than send something else', () => {
    expect(() => encodeGsm7('Việt')).toThrow(RangeError);
  });
});
