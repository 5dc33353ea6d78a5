import type { Tour, TourStop } from '../../../lambdas/core/tours/tour-model.js';

export const HCM = 'Asia/Ho_Chi_Minh';

export const stop = (areaCode: string, minutes: number): TourStop => ({ areaCode, minutes });

/** An approved one-hour tour of area A1 at 07:00 on Monday 30 November 2026 in Ho Chi Minh City. */
export function approvedTour(id: string, fields: Partial<Tour> = {}): Tour {
  return {
    id,
    name: `Tour ${id}`,
    vanId: 'van-1',
    scriptId: 'script-1',
    scriptVersion: 1,
    schedule: { expression: 'at(2026-11-30T07:00:00)', timezone: HCM },
    stops: [stop('A1', 60)],
    priority: 'normal',
    status: 'approved',
    warnings: [],
    createdBy: 'planner',
    createdAt: '2026-10-20T03:00:00.000Z',
    runCount: 0,
    revision: 1,
    ...fields,
  };
}
