/**
 * An outgoing SMS as the submit_sm PDUs that carry it: addresses, data coding, the encoded text of each
 * part, and how the parts are tied together for the handset to reassemble them.
 */
import type { OutgoingSms } from '../../core/ports.js';
import { maskPhone } from '../../core/subscribers/phone-number.js';
import { type SmsEncoding, splitSmsParts } from '../../core/templates/sms-parts.js';
import { EsmClass, type PduFields } from './smpp-library.js';

export type SplitMode = 'udh' | 'sar';

export interface SubmitSmFields extends PduFields {
  source_addr_ton: number;
  source_addr_npi: number;
  source_addr: string;
  dest_addr_ton: number;
  dest_addr_npi: number;
  destination_addr: string;
  esm_class: number;
  registered_delivery: number;
  data_coding: number;
  short_message: Buffer;
}

export interface SubmitSmOptions {
  /** A brandname (alphanumeric, such as TTTT-DNAI) or a number. */
  sourceAddr: string;
  systemType: string;
  split: SplitMode;
  /**
   * Ties the parts of one message together; the caller counts it up per message so that two long
   * messages in flight to the same handset never share one. Used modulo 256 in a UDH, 65536 in SAR.
   */
  concatReference: number;
}

/** data_coding (SMPP 3.4 section 5.2.19): 0 is the SMSC default alphabet, GSM 03.38; 8 is UCS-2. */
export const DataCoding: Readonly<Record<SmsEncoding, number>> = { 'GSM-7': 0, 'UCS-2': 8 };

const TON_INTERNATIONAL = 1;
const TON_ALPHANUMERIC = 5;
const NPI_UNKNOWN = 0;
const NPI_ISDN = 1;

/** The part count and number are one octet each, in the UDH as in the SAR TLVs. */
const MAX_PARTS = 255;

/** registered_delivery 1: a receipt for the final outcome, delivered or not. */
const RECEIPT_REQUESTED = 1;

/** E.164: the + is required, as digits alone could be a national number (0912...). */
const E164 = /^\+([1-9]\d{6,14})$/;
const NUMERIC = /^\d+$/;

/** A message no SMSC could take as it is: sending it again would fail the same way. */
export class UnsendableSmsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The submit_sm fields of each part, in order. The encoding is the one `splitSmsParts` finds in the text,
 * not `message.encoding`: the two agree for texts Loa renders, and when they do not, the text decides,
 * since sending UCS-2 text as GSM-7 would reach the handset garbled.
 *
 * Only the last part asks for a delivery receipt. Asking on every part would bring one receipt a part,
 * all but one of them matching nothing we keep (the message is known by one id), and carriers bill
 * receipts by the part on some routes; the last part is the one whose arrival completes the message.
 */
export function submitSmParts(message: OutgoingSms, options: SubmitSmOptions): SubmitSmFields[] {
  const destination = E164.exec(message.to)?.[1];
  if (destination === undefined) throw new UnsendableSmsError(`the destination is not an E.164 number: ${maskPhone(message.to)}`);
  const { encoding, parts } = splitSmsParts(message.text);
  if (parts.length > MAX_PARTS)
    throw new UnsendableSmsError(`the text needs ${parts.length} parts, more than the ${MAX_PARTS} of a concatenated SMS`);
  const encode = encoding === 'GSM-7' ? encodeGsm7 : encodeUcs2;
  const source = sourceAddress(options.sourceAddr);
  const total = parts.length;
  return parts.map((text, index) => {
    const last = index === total - 1;
    const fields: SubmitSmFields = {
      service_type: options.systemType,
      source_addr_ton: source.ton,
      source_addr_npi: source.npi,
      source_addr: options.sourceAddr,
      dest_addr_ton: TON_INTERNATIONAL,
      dest_addr_npi: NPI_ISDN,
      destination_addr: destination,
      esm_class: 0,
      registered_delivery: last ? RECEIPT_REQUESTED : 0,
      data_coding: DataCoding[encoding],
      short_message: encode(text),
    };
    if (total === 1) return fields;
    if (options.split === 'sar') {
      return {
        ...fields,
        sar_msg_ref_num: options.concatReference & 0xffff,
        sar_total_segments: total,
        sar_segment_seqnum: index + 1,
      };
    }
    return {
      ...fields,
      esm_class: EsmClass.UDH_INDICATOR,
      short_message: Buffer.concat([concatenationHeader(options.concatReference, total, index + 1), fields.short_message]),
    };
  });
}

/** TON and NPI of the source: a brandname is alphanumeric (5, 0), a number international (1, 1). */
function sourceAddress(sourceAddr: string): { ton: number; npi: number } {
  return NUMERIC.test(sourceAddr) ? { ton: TON_INTERNATIONAL, npi: NPI_ISDN } : { ton: TON_ALPHANUMERIC, npi: NPI_UNKNOWN };
}

/**
 * The user data header of one part: its length (5), then the information element "concatenated short
 * messages, 8-bit reference" (identifier 0x00, length 3): reference, total parts, this part's number.
 */
function concatenationHeader(reference: number, total: number, sequence: number): Buffer {
  return Buffer.from([0x05, 0x00, 0x03, reference & 0xff, total, sequence]);
}

/** GSM 03.38 default alphabet in septet order; 0x1B is the escape to the extension table, no character. */
const GSM7_BASIC_TABLE =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_ESCAPE = 0x1b;
const GSM7_EXTENSION_SEPTETS: ReadonlyMap<string, number> = new Map([
  ['\f', 0x0a],
  ['^', 0x14],
  ['{', 0x28],
  ['}', 0x29],
  ['\\', 0x2f],
  ['[', 0x3c],
  ['~', 0x3d],
  [']', 0x3e],
  ['|', 0x40],
  ['€', 0x65],
]);
const GSM7_BASIC_SEPTETS: ReadonlyMap<string, number> = new Map(
  [...GSM7_BASIC_TABLE].flatMap((character, septet) => (septet === GSM7_ESCAPE ? [] : [[character, septet] as const])),
);

/**
 * GSM 03.38 default alphabet, one septet an octet (SMPP carries it unpacked; the SMSC packs it for the
 * air), extension characters as ESC and their septet. Only for text `splitSmsParts` found to be GSM-7.
 */
export function encodeGsm7(text: string): Buffer {
  const septets: number[] = [];
  for (const character of text) {
    const basic = GSM7_BASIC_SEPTETS.get(character);
    if (basic !== undefined) {
      septets.push(basic);
      continue;
    }
    const extension = GSM7_EXTENSION_SEPTETS.get(character);
    if (extension === undefined) throw new RangeError(`not in the GSM 03.38 alphabet: U+${character.codePointAt(0)?.toString(16)}`);
    septets.push(GSM7_ESCAPE, extension);
  }
  return Buffer.from(septets);
}

/** UCS-2 as SMPP carries it: UTF-16 big-endian (a character beyond the BMP as its surrogate pair). */
export function encodeUcs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}
