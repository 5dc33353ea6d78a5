import { describe, expect, it } from 'vitest';
import { newId } from '../../lambdas/core/ids.js';

describe('newId', () => {
  it('orders ids made in the same millisecond as they were made', () => {
    const at = new Date('2026-11-29T04:00:00.000Z');
    const ids = Array.from({ length: 1000 }, () => newId('aud', at));

    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });

  it('orders ids by time, with the prefix, the time in base 36 and 10 random characters', () => {
    const earlier = newId('tpl', new Date('2026-11-29T04:00:00.000Z'));
    const later = newId('tpl', new Date('2026-11-29T04:00:00.001Z'));

    expect(earlier).toMatch(/^tpl_[0-9a-z]{9}[0-9a-z]{10}$/);
    expect(earlier.slice(4, 13)).toBe(Date.parse('2026-11-29T04:00:00.000Z').toString(36).padStart(9, '0'));
    expect(earlier < later).toBe(true);
  });
});
