import type { AreaRoute } from '../../app/area-route';
import { HomePage } from './HomePage';

export const routes: AreaRoute[] = [{ path: '/', element: <HomePage /> }];
