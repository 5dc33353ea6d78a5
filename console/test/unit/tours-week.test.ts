import { describe, expect, it } from 'vitest';
import { addDays, byDay, localDay, mondayOf, weekDays } from '../../src/pages/tours/week';

describe('the week of tours', () => {
  it('starts on the Monday of the local week, across a month end', () => {
    expect(mondayOf('2026-12-05')).toBe('2026-11-30');
    expect(mondayOf('2026-11-30')).toBe('2026-11-30');
    expect(mondayOf('2026-12-06')).toBe('2026-11-30');
    expect(weekDays('2026-11-30')).toEqual([
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
    ]);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it("puts a session on the province's local day, not the browser's or UTC's", () => {
    // 23:30 UTC on 4 December is 06:30 on 5 December in Vietnam.
    expect(localDay(new Date('2026-12-04T23:30:00Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-12-05');
    const sessions = [
      { startsAt: '2026-12-04T23:30:00Z', name: 'early Saturday' },
      { startsAt: '2026-12-05T10:00:00Z', name: 'Saturday evening' },
      { startsAt: '2026-12-07T01:00:00Z', name: 'next Monday' },
    ];
    const cells = byDay(sessions, weekDays('2026-11-30'), 'Asia/Ho_Chi_Minh');
    expect(cells.get('2026-12-05')!.map((session) => session.name)).toEqual(['early Saturday', 'Saturday evening']);
    expect([...cells.values()].flat()).toHaveLength(2);
  });
});
