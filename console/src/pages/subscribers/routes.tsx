import type { AreaRoute } from '../../app/area-route';
import { SubscribersPage } from './SubscribersPage';

export const routes: AreaRoute[] = [{ path: '/subscribers', element: <SubscribersPage />, roles: ['operator'] }];
