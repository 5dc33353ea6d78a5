import type { AreaRoute } from '../../app/area-route';
import { GatewaysPage } from './GatewaysPage';

export const routes: AreaRoute[] = [{ path: '/gateways', element: <GatewaysPage />, roles: ['operator', 'viewer'] }];
