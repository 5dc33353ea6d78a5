/**
 * Campaigns for the core's tests, made through the use cases: an approved template of their own, sent to
 * a segment of everyone in the province DNI (the test puts its subscribers there).
 */
import type { Caller } from '../../../lambdas/core/auth/caller.js';
import {
  approveCampaign,
  createCampaign,
  submitCampaign,
  type CampaignView,
  type NewCampaign,
} from '../../../lambdas/core/campaigns/campaign-use-cases.js';
import type { Deps } from '../../../lambdas/core/deps.js';
import { createSegment } from '../../../lambdas/core/segments/segment-use-cases.js';
import {
  approveTemplate,
  createTemplate,
  submitTemplate,
  type TemplateContent,
} from '../../../lambdas/core/templates/template-use-cases.js';

export const author: Caller = { id: 'lan', roles: ['author'] };
export const approver: Caller = { id: 'minh', roles: ['approver'] };

/** A draft campaign of `template` to everyone in DNI, with no variables unless `fields` gives some. */
export async function aCampaignToDni(deps: Deps, template: TemplateContent, fields: Partial<NewCampaign> = {}): Promise<CampaignView> {
  const written = await createTemplate(deps, author, { name: 'T', ...template });
  await submitTemplate(deps, author, written.id);
  await approveTemplate(deps, approver, written.id, 1);
  const segment = await createSegment(deps, author, { name: 'All', filter: { areas: ['DNI'], tags: [], carriers: [] } });
  return createCampaign(deps, author, {
    name: 'C',
    templateId: written.id,
    templateVersion: 1,
    segmentId: segment.id,
    variables: {},
    priority: 'normal',
    test: false,
    stripDiacritics: false,
    ...fields,
  });
}

/** aCampaignToDni, submitted and approved: without a schedule, due at once. */
export async function anApprovedCampaignToDni(
  deps: Deps,
  template: TemplateContent,
  fields: Partial<NewCampaign> = {},
): Promise<CampaignView> {
  const campaign = await aCampaignToDni(deps, template, fields);
  const submitted = await submitCampaign(deps, author, campaign.id);
  return approveCampaign(deps, approver, campaign.id, submitted.revision);
}
