import type { AreaRoute } from '../../app/area-route';
import { TodayPage } from './TodayPage';

export const routes: AreaRoute[] = [{ path: '/today', element: <TodayPage />, roles: ['crew', 'operator'] }];
