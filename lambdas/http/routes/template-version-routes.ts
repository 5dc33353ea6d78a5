import { TemplateStatus } from '../../core/model.js';
import { findTemplateVersions } from '../../core/templates/template-version-lists.js';
import { listedTemplateVersionPageView } from '../views/template-version-list-views.js';
import { ALL_ROLES, ok, pageQuery, route } from '../route.js';
import { creatorQuery, reviewFilter, statusList } from './review-query.js';

const STATUSES = Object.values(TemplateStatus) as [TemplateStatus, ...TemplateStatus[]];

export const templateVersionRoutes = [
  route({
    method: 'GET',
    path: '/v1/template-versions',
    summary:
      'Versions of every template by status and author, oldest first: what waits for approval (?awaiting=me), ' +
      "an author's drafts and rejections (?createdBy=me&status=draft,rejected)",
    description:
      'A version is made by its `author`. A page may hold fewer items than asked, even none, with a nextCursor: ' +
      'on AWS a filtered page stops after a bounded read.',
    tag: 'templates',
    access: ALL_ROLES,
    query: pageQuery.extend({ status: statusList(STATUSES).optional(), ...creatorQuery }),
    responses: { 200: { description: 'A page of versions, each with its template name', schema: listedTemplateVersionPageView } },
    handle: async ({ deps, caller, query }) => {
      const { limit, cursor } = query;
      const { statuses, ...creator } = reviewFilter(caller, query, TemplateStatus.pendingApproval);
      return ok(await findTemplateVersions(deps, { statuses: statuses ?? STATUSES, ...creator }, { limit, ...(cursor && { cursor }) }));
    },
  }),
];
