/** Every page of the console, gathered from each part's own routes.tsx. */
import { routes as audit } from '../pages/audit/routes';
import { routes as campaigns } from '../pages/campaigns/routes';
import { routes as crew } from '../pages/crew/routes';
import { routes as gateways } from '../pages/gateways/routes';
import { routes as home } from '../pages/home/routes';
import { routes as segments } from '../pages/segments/routes';
import { routes as subscribers } from '../pages/subscribers/routes';
import { routes as templates } from '../pages/templates/routes';
import { routes as tours } from '../pages/tours/routes';
import type { AreaRoute } from './area-route';

export const AREA_ROUTES: readonly AreaRoute[] = [
  ...home,
  ...templates,
  ...subscribers,
  ...segments,
  ...campaigns,
  ...tours,
  ...crew,
  ...gateways,
  ...audit,
];
