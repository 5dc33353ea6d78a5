import type { AreaRoute } from '../../app/area-route';
import { AuditPage } from './AuditPage';

export const routes: AreaRoute[] = [{ path: '/audit', element: <AuditPage />, roles: ['approver', 'operator', 'viewer'] }];
