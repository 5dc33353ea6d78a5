import type { AreaRoute } from '../../app/area-route';
import { SegmentBuilderPage } from './SegmentBuilderPage';
import { SegmentPage } from './SegmentPage';
import { SegmentsPage } from './SegmentsPage';

export const routes: AreaRoute[] = [
  { path: '/segments', element: <SegmentsPage />, roles: ['author', 'operator'] },
  { path: '/segments/new', element: <SegmentBuilderPage />, roles: ['author', 'operator'] },
  { path: '/segments/:id', element: <SegmentPage />, roles: ['author', 'approver', 'operator', 'viewer'] },
];
