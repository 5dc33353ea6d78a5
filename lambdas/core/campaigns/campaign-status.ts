import { ConflictError } from '../errors.js';
import { CampaignStatus, type Campaign } from '../model.js';

/** Which states each action may start from; anything else is a 409 naming the current state. */
const ALLOWED_FROM = {
  submit: [CampaignStatus.draft],
  approve: [CampaignStatus.pendingApproval],
  reject: [CampaignStatus.pendingApproval],
  launch: [CampaignStatus.approved, CampaignStatus.scheduled],
  pause: [CampaignStatus.approved, CampaignStatus.scheduled, CampaignStatus.sending],
  resume: [CampaignStatus.paused],
  cancel: [
    CampaignStatus.draft,
    CampaignStatus.pendingApproval,
    CampaignStatus.approved,
    CampaignStatus.scheduled,
    CampaignStatus.sending,
    CampaignStatus.paused,
  ],
  finishRun: [CampaignStatus.sending],
} as const satisfies Record<string, readonly CampaignStatus[]>;

export type CampaignAction = keyof typeof ALLOWED_FROM;

export function canCampaign(campaign: Campaign, action: CampaignAction): boolean {
  return (ALLOWED_FROM[action] as readonly CampaignStatus[]).includes(campaign.status);
}

export function requireCampaignState(campaign: Campaign, action: CampaignAction): void {
  if (!canCampaign(campaign, action)) {
    throw new ConflictError(`Campaign ${campaign.id} is ${campaign.status}; ${action} needs ${ALLOWED_FROM[action].join(' or ')}`);
  }
}

/** Campaigns that wait for their fire time: the stores list them by `nextFireAt` for the launcher. */
export const DUE_CAMPAIGN_STATUSES: readonly CampaignStatus[] = ALLOWED_FROM.launch;

/** Campaign statuses in which a run's walk waits rather than ends: paused, or launched a moment ago. */
export const WAITING_CAMPAIGN_STATUSES: readonly CampaignStatus[] = [CampaignStatus.paused, ...DUE_CAMPAIGN_STATUSES];
