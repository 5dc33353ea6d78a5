/**
 * How many SMS parts a text costs, and where it splits. Carriers bill per part, and the part size
 * depends on the encoding the whole message needs: one character outside GSM 03.38 (any Vietnamese
 * letter with a tone mark, an emoji) turns the message into UCS-2 and cuts a part from 160 to 70.
 *
 * The text is counted exactly as given. Decomposed (NFD) text costs more than the same text composed,
 * because every combining mark is a UTF-16 code unit of its own and none is in GSM 03.38: text is brought
 * to NFC when it is received (lambdas/http/nfc-text.ts), so what is counted here is what is sent.
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsParts {
  encoding: SmsEncoding;
  parts: number;
  /** Septets for GSM-7 (an extension character costs 2), UTF-16 code units for UCS-2. */
  units: number;
}

/**
 * GSM 03.38 basic character set in table order, 0x00 to 0x7F, without 0x1B (the escape into the
 * extension table, which is no character). The Greek capitals are the Greek code points, not Latin or
 * symbol look-alikes (Ω is U+03A9, not the ohm sign U+2126).
 */
const GSM7_BASIC_CHARACTERS =
  '@£$¥èéùìòÇ\nØø\rÅå' +
  'Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ' +
  ' !"#¤%&\'()*+,-./' +
  '0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** GSM 03.38 extension table: each is sent as ESC plus one septet, so it costs 2. */
const GSM7_EXTENSION_CHARACTERS = '\f^{}\\[~]|€';

const GSM7_BASIC = new Set(GSM7_BASIC_CHARACTERS);
const GSM7_EXTENSION = new Set(GSM7_EXTENSION_CHARACTERS);

/** Units that fit in a single message, and per part once a user data header takes its share. */
const PART_SIZES: Record<SmsEncoding, { single: number; perPart: number }> = {
  'GSM-7': { single: 160, perPart: 153 },
  'UCS-2': { single: 70, perPart: 67 },
};

/** True when every character of the text is in the GSM 03.38 basic set or its extension table. */
export function isGsm7(text: string): boolean {
  for (const character of text) {
    if (!GSM7_BASIC.has(character) && !GSM7_EXTENSION.has(character)) return false;
  }
  return true;
}

/**
 * Counts an empty text as one part: a carrier bills an empty message like any other, so a cost
 * estimate must not come out as zero.
 */
export function countSmsParts(text: string): SmsParts {
  const { encoding, units, parts } = measure(text);
  return { encoding, parts: parts.length, units };
}

/**
 * The text of each part, in order; joined they give back the text. A character is never cut in two:
 * an extension character's escape pair stays in one part, and so does a UTF-16 surrogate pair, which
 * can leave a part one unit short of full. An empty text is one empty part (see countSmsParts).
 */
export function splitSmsParts(text: string): { encoding: SmsEncoding; parts: string[] } {
  const { encoding, parts } = measure(text);
  return { encoding, parts };
}

function measure(text: string): { encoding: SmsEncoding; units: number; parts: string[] } {
  const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  const characters = [...text];
  const costs = characters.map((character) => unitsOf(character, encoding));
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const { single, perPart } = PART_SIZES[encoding];
  if (units <= single) return { encoding, units, parts: [text] };

  const parts: string[] = [];
  let part = '';
  let partUnits = 0;
  characters.forEach((character, index) => {
    const cost = costs[index] ?? 0;
    if (partUnits + cost > perPart) {
      parts.push(part);
      part = '';
      partUnits = 0;
    }
    part += character;
    partUnits += cost;
  });
  parts.push(part);
  return { encoding, units, parts };
}

function unitsOf(character: string, encoding: SmsEncoding): number {
  if (encoding === 'UCS-2') return character.length;
  return GSM7_EXTENSION.has(character) ? 2 : 1;
}
