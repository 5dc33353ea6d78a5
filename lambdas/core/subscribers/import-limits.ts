/**
 * The limits on one subscriber import, so that one upload cannot take the memory or the event loop of the
 * process that sends, nor its answer grow with the file: a province's list is about a million numbers and
 * a few tens of MB.
 */
export const IMPORT_LIMITS = {
  /** Bytes of the file as sent. */
  bytes: 50 * 1024 * 1024,
  /** Rows after the header, blank ones not counted. */
  rows: 1_000_000,
  /** Refused rows listed in the report; the others are only counted. */
  listedRefusals: 1_000,
} as const;

export type ImportLimits = { readonly [limit in keyof typeof IMPORT_LIMITS]: number };

export const TAG_LIMITS = { perSubscriber: 20, characters: 64 } as const;

/** Characters of the input a refusal quotes, so that a refusal stays short whatever the row holds. */
const QUOTED_CHARACTERS = 40;

/** The input in quotes, cut to its first 40 characters and an ellipsis. */
export function quoteInput(text: string): string {
  const characters = [...text];
  return characters.length <= QUOTED_CHARACTERS ? `"${text}"` : `"${characters.slice(0, QUOTED_CHARACTERS).join('')}…"`;
}

/** What a caller reads when a file is over a limit: both limits, so the parts can be cut to fit. */
export function overLimitMessage(limits: ImportLimits, over: 'bytes' | 'rows'): string {
  const mb = (limits.bytes / (1024 * 1024)).toLocaleString('en');
  const rows = limits.rows.toLocaleString('en');
  const found = over === 'bytes' ? `this one is larger than ${mb} MB` : `this one has more than ${rows} rows`;
  return `An import file may be at most ${mb} MB and ${rows} rows; ${found}. Split it and import the parts; nothing was imported.`;
}
