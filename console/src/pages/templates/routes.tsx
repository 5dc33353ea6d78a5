import type { AreaRoute } from '../../app/area-route';
import { NewTemplatePage } from './NewTemplatePage';
import { TemplateListPage } from './TemplateListPage';
import { TemplatePage } from './TemplatePage';
import { TemplateVersionPage } from './TemplateVersionPage';

export const routes: AreaRoute[] = [
  { path: '/templates', element: <TemplateListPage />, roles: ['author', 'approver', 'operator', 'viewer'] },
  { path: '/templates/new', element: <NewTemplatePage />, roles: ['author'] },
  { path: '/templates/:id', element: <TemplatePage />, roles: ['author', 'approver', 'operator', 'viewer'] },
  { path: '/templates/:id/versions/:version', element: <TemplateVersionPage />, roles: ['author', 'approver', 'operator', 'viewer'] },
];
