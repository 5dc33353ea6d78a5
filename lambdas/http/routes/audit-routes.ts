import { ok, pageQuery, route } from '../route.js';

export const auditRoutes = [
  route({
    method: 'GET',
    path: '/v1/audit',
    summary: 'The audit log, newest first: who did what to which subject, and when',
    tag: 'audit',
    access: ['approver', 'operator', 'viewer'],
    query: pageQuery,
    responses: { 200: '{ items: [{ id, at, actor, action, subject, details }], nextCursor }' },
    handle: async ({ deps, query }) => ok(await deps.store.listAudit(query)),
  }),
];
