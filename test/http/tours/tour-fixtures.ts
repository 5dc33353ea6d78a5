/** A van and a tour session shared by the calendar and route sheet tests. */
import type { Van } from '../../../lambdas/core/tours/tour-model.js';
import type { CalendarEntry } from '../../../lambdas/http/tours/van-calendar.js';

export const VAN: Van = {
  id: 'van-1',
  plate: '60A-123.45',
  kind: 'van',
  crewLead: { name: 'Nguyễn Văn Hùng', phone: '+84912345678' },
  homeCommune: '26734',
  status: 'active',
  feedToken: 'f33d-t0k3n-s3cr3t',
  createdBy: 'lan',
  createdAt: '2026-11-01T00:00:00.000Z',
  revision: 1,
};

export /** 07:30–08:15 local on Saturday 5 December: two stops with ten minutes' travel between them. */
const DENGUE: CalendarEntry = {
  tour: { id: 'tour-dengue', name: 'Phòng chống sốt xuất huyết', status: 'approved', priority: 'normal' },
  scriptTitle: 'Diệt lăng quăng, bọ gậy',
  scriptCode: 'tpl-7 v2',
  startsAt: '2026-12-05T00:30:00.000Z',
  endsAt: '2026-12-05T01:15:00.000Z',
  stops: [
    {
      areaCode: 'KP-TB',
      areaName: 'Khu phố Tân Bình',
      minutes: 20,
      startsAt: '2026-12-05T00:30:00.000Z',
      endsAt: '2026-12-05T00:50:00.000Z',
    },
    { areaCode: 'AP-BL', areaName: 'Ấp Bình Lợi', minutes: 15, startsAt: '2026-12-05T01:00:00.000Z', endsAt: '2026-12-05T01:15:00.000Z' },
  ],
};
