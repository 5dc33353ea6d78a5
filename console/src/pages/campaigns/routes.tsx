import type { AreaRoute } from '../../app/area-route';
import { CampaignListPage } from './CampaignListPage';
import { CampaignPage } from './CampaignPage';
import { NewCampaignPage } from './NewCampaignPage';
import { ReceiptsPage } from './ReceiptsPage';

export const routes: AreaRoute[] = [
  { path: '/campaigns', element: <CampaignListPage /> },
  { path: '/campaigns/new', element: <NewCampaignPage />, roles: ['author'] },
  { path: '/campaigns/:id', element: <CampaignPage /> },
  { path: '/campaigns/:id/receipts', element: <ReceiptsPage />, roles: ['operator', 'viewer'] },
];
