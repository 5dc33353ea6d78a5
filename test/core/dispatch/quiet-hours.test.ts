import { describe, expect, it } from 'vitest';
import { msUntilSendingAllowed } from '../../../lambdas/core/dispatch/quiet-hours.js';

const HCM = 'Asia/Ho_Chi_Minh';
const NIGHT = { start: '22:00', end: '07:00' };

describe('quiet hours', () => {
  it('lets normal sending go on in the afternoon, Vietnam time', () => {
    expect(msUntilSendingAllowed(new Date('2026-11-28T08:00:00Z'), NIGHT, HCM)).toBe(0);
  });

  it('holds sending at 22:00 local until 07:00 the next morning', () => {
    expect(msUntilSendingAllowed(new Date('2026-11-28T15:00:00Z'), NIGHT, HCM)).toBe(9 * 3_600_000);
  });

  it('holds sending just after midnight until 07:00 the same morning', () => {
    expect(msUntilSendingAllowed(new Date('2026-11-28T17:30:15.500Z'), NIGHT, HCM)).toBe(6.5 * 3_600_000 - 15_500);
  });

  it('opens exactly at the end of the window', () => {
    expect(msUntilSendingAllowed(new Date('2026-11-28T00:00:00Z'), NIGHT, HCM)).toBe(0);
    expect(msUntilSendingAllowed(new Date('2026-11-27T23:59:59Z'), NIGHT, HCM)).toBe(1_000);
  });

  it('handles a window that does not cross midnight', () => {
    const lunch = { start: '12:00', end: '13:00' };
    expect(msUntilSendingAllowed(new Date('2026-11-28T05:30:00Z'), lunch, HCM)).toBe(30 * 60_000);
    expect(msUntilSendingAllowed(new Date('2026-11-28T06:00:00Z'), lunch, HCM)).toBe(0);
  });
});
