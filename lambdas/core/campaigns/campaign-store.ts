import type { CampaignFilter } from '../list-filters.js';
import type { Campaign, CampaignRun, Page, PageRequest } from '../model.js';

/** Where campaigns and their runs are kept. */
export interface CampaignStore {
  insertCampaign(campaign: Campaign): Promise<void>;
  getCampaign(id: string): Promise<Campaign | undefined>;
  /** In creation order; only those passing `filter` when given. */
  listCampaigns(page: PageRequest, filter?: CampaignFilter): Promise<Page<Campaign>>;
  /** Writes `campaign` only if the stored revision is `campaign.revision - 1`; else ConflictError. */
  updateCampaign(campaign: Campaign): Promise<void>;
  /** Campaigns in status approved or scheduled whose nextFireAt is at or before `now`. */
  campaignsDue(now: string, limit: number): Promise<Campaign[]>;

  /** False when the run already exists: a schedule fire delivered twice starts one run. */
  insertRun(run: CampaignRun): Promise<boolean>;
  getRun(campaignId: string, runId: string): Promise<CampaignRun | undefined>;
  saveRun(run: CampaignRun): Promise<void>;
  /** Runs whose sending is not done, for resuming after a restart and for completion checks. */
  listUnfinishedRuns(): Promise<CampaignRun[]>;
}
