import type { Deps } from '../deps.js';
import type { CampaignStatus, DeliveredInMinute, StatusCounts } from '../model.js';
import { requireCampaign } from './campaign-use-cases.js';

/** What an operator watches while a campaign sends: every run together. */
export interface CampaignProgress {
  campaignId: string;
  status: CampaignStatus;
  test: boolean;
  counts: StatusCounts;
  /** By carrier code, 'unknown' for numbers of no known carrier; only carriers with receipts. */
  byCarrier: Record<string, StatusCounts>;
  /** By the area code each recipient had when queued, 'unknown' for numbers that are no subscriber. */
  byArea: Record<string, StatusCounts>;
  /** Receipts delivered in each UTC minute, oldest first; minutes with no delivery are left out. */
  deliveredOverTime: DeliveredInMinute[];
  /** When these counts were read. */
  updatedAt: string;
}

/**
 * The live progress of a campaign, read from the counters the stores keep as receipts move and never
 * from the receipts: watching a million-recipient campaign costs what watching a small one does.
 */
export async function campaignProgress(deps: Deps, id: string): Promise<CampaignProgress> {
  const campaign = await requireCampaign(deps, id);
  const { byCarrier, byArea, deliveredByMinute, ...counts } = await deps.receipts.campaignProgress(campaign.id);
  return {
    campaignId: campaign.id,
    status: campaign.status,
    test: campaign.test,
    counts,
    byCarrier,
    byArea,
    deliveredOverTime: deliveredByMinute,
    updatedAt: deps.clock.now().toISOString(),
  };
}
