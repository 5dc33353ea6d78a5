import type { AreaRoute } from '../../app/area-route';
import { CoveragePage } from './CoveragePage';
import { NewVanPage } from './NewVanPage';
import { TourBuilderPage } from './TourBuilderPage';
import { TourPage } from './TourPage';
import { VansPage } from './VansPage';

export const routes: AreaRoute[] = [
  { path: '/vans', element: <VansPage />, roles: ['operator', 'author', 'approver', 'viewer'] },
  { path: '/vans/new', element: <NewVanPage />, roles: ['operator'] },
  { path: '/tours/new', element: <TourBuilderPage />, roles: ['author'] },
  { path: '/tours/:id', element: <TourPage /> },
  { path: '/coverage', element: <CoveragePage />, roles: ['operator', 'viewer', 'author', 'approver'] },
];
