/**
 * How long a loudspeaker script takes to read aloud.
 *
 * Vietnamese writes every syllable as a separate word, so counting words counts syllables. The rate is the
 * working figure that announcers reading for loudspeakers take about 120-140 syllables a minute; it has not
 * been checked against a published study. Hosts of Vietnamese television talk shows have been measured
 * at about 4.4 syllables a second (some 260 a minute), so for a slow, clear outdoor reading the figure errs
 * on the long side, which is the safe side for warning that a stop is too short for its script.
 */
export const WORDS_PER_MINUTE = 130;

/** Tokens of punctuation alone (a dash, an ellipsis) are not read aloud. */
const SPOKEN_TOKEN = /[\p{L}\p{N}]/u;

/** Whole seconds to read `text` aloud, rounded up; an empty script takes 0. */
export function readingSeconds(text: string, wordsPerMinute = WORDS_PER_MINUTE): number {
  if (!(wordsPerMinute > 0) || !Number.isFinite(wordsPerMinute)) {
    throw new RangeError(`readingSeconds: words per minute must be a positive number, got ${wordsPerMinute}`);
  }
  const words = text.split(/\s+/).filter((token) => SPOKEN_TOKEN.test(token)).length;
  return Math.ceil((words * 60) / wordsPerMinute);
}
