import { z } from 'zod';
import { ok, pageQuery, route } from '../route.js';
import { auditEntryView } from '../views/audit-views.js';
import { pageOf } from '../views/view-fields.js';
import { dayOrInstant, instantOf } from './period-query.js';

export const auditRoutes = [
  route({
    method: 'GET',
    path: '/v1/audit',
    summary: 'The audit log, newest first: who did what to which subject, and when',
    tag: 'audit',
    access: ['approver', 'operator', 'viewer'],
    query: pageQuery.extend({
      actor: z.string().min(1).max(200).optional().describe('Who: a user id, or loa for the system'),
      action: z.string().min(1).max(100).optional().describe('What, exactly: e.g. campaign.approved'),
      subject: z.string().min(1).max(200).optional().describe('Which record: a template, campaign, tour ... id'),
      from: dayOrInstant.optional().describe('When, from: a local day (YYYY-MM-DD, from its midnight) or an instant with its offset'),
      to: dayOrInstant.optional().describe('When, until (exclusive): a local day or an instant'),
    }),
    description: 'A filtered page may hold fewer items than asked, even none, with a nextCursor: on AWS it stops after a bounded read.',
    responses: { 200: { description: 'A page of audit entries, newest first', schema: pageOf(auditEntryView) } },
    handle: async ({ deps, query }) => {
      const { limit, cursor, actor, action, subject, from, to } = query;
      const { timezone } = deps.config;
      const filter = {
        ...(actor && { actor }),
        ...(action && { action }),
        ...(subject && { subject }),
        ...(from && { from: instantOf(from, timezone).toISOString() }),
        ...(to && { to: instantOf(to, timezone).toISOString() }),
      };
      return ok(await deps.audit.listAudit({ limit, ...(cursor && { cursor }) }, filter));
    },
  }),
];
