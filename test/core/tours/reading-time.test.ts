import { describe, expect, it } from 'vitest';
import { readingSeconds, WORDS_PER_MINUTE } from '../../../lambdas/core/tours/reading-time.js';

/** A script of `count` syllables. */
const syllables = (count: number): string => Array.from({ length: count }, () => 'loa').join(' ');

describe('readingSeconds', () => {
  it('takes 0 seconds for an empty or blank script', () => {
    expect(readingSeconds('')).toBe(0);
    expect(readingSeconds(' \n\t ')).toBe(0);
  });

  it('reads 130 syllables in one minute at the default rate', () => {
    expect(WORDS_PER_MINUTE).toBe(130);
    expect(readingSeconds(syllables(130))).toBe(60);
  });

  it('rounds up to whole seconds', () => {
    expect(readingSeconds(syllables(131))).toBe(61);
    expect(readingSeconds('Loa')).toBe(1);
  });

  it('counts each written Vietnamese syllable as a word, with any whitespace between them', () => {
    expect(readingSeconds('Thông báo\tkhẩn cấp\nvề bão số 5', 60)).toBe(8);
  });

  it('does not count tokens of punctuation alone, but counts numbers', () => {
    expect(readingSeconds('Thông báo – lịch ... tiêm chủng ngày 30/11 !', 60)).toBe(7);
  });

  it('honours a given rate', () => {
    expect(readingSeconds(syllables(100), 120)).toBe(50);
  });

  it('refuses a rate that is not a positive number', () => {
    expect(() => readingSeconds('loa', 0)).toThrow(RangeError);
    expect(() => readingSeconds('loa', Number.NaN)).toThrow(RangeError);
  });
});
