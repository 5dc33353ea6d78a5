/**
 * Vietnamese without diacritics ("khong dau"), as carriers' brandname traffic is often sent: the text
 * then fits GSM-7 and costs about half the SMS parts.
 */

/** Combining diacritical marks: tones, circumflex, breve and the horn of ơ and ư, once decomposed. */
const COMBINING_MARKS = /[\u0300-\u036f]/g;

/**
 * Removes the diacritics the way the guide prescribes: decompose (NFD) and drop the combining marks,
 * then map d with stroke by hand, because đ (U+0111) and Đ (U+0110) have no decomposition, and Ð
 * (U+00D0) stands for Đ in text that went through a legacy Vietnamese code page. The guide's NFC
 * before NFD is left out because it cannot change anything: the NFD of a text and of its NFC form are
 * the same by definition, so composed and decomposed input give the same result. The result is
 * recomposed (NFC) so that marks outside U+0300-U+036F, such as Japanese voicing marks and Korean
 * syllables, come back as they were.
 */
export function stripDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/\u0111/g, 'd')
    .replace(/[\u0110\u00d0]/g, 'D')
    .normalize('NFC');
}
