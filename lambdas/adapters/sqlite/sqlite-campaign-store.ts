/** Campaigns and their runs in SQLite; a campaign changes only from the revision its writer read. */
import { DUE_CAMPAIGN_STATUSES } from '../../core/campaigns/campaign-status.js';
import type { CampaignStore } from '../../core/campaigns/campaign-store.js';
import { ConflictError } from '../../core/errors.js';
import type { CampaignFilter } from '../../core/list-filters.js';
import type { Campaign, CampaignRun, Page, PageRequest } from '../../core/model.js';
import { creator, oneOf } from './list-filters.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { listByCreation } from './sqlite-pages.js';

export class SqliteCampaignStore implements CampaignStore {
  constructor(private readonly database: SqliteDatabase) {}

  async insertCampaign(campaign: Campaign): Promise<void> {
    const added = this.database
      .sql(
        `INSERT INTO campaigns (id, created_at, status, next_fire_at, revision, data) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      )
      .run(campaign.id, campaign.createdAt, campaign.status, campaign.nextFireAt ?? null, campaign.revision, JSON.stringify(campaign));
    if (added.changes === 0) throw new ConflictError(`Campaign ${campaign.id} already exists`);
  }

  async getCampaign(id: string): Promise<Campaign | undefined> {
    return this.database.record<Campaign>('SELECT data FROM campaigns WHERE id = ?', id);
  }

  async listCampaigns(page: PageRequest, filter: CampaignFilter = {}): Promise<Page<Campaign>> {
    return listByCreation<Campaign>(this.database, 'campaigns', page, [
      ...oneOf('status', filter.statuses),
      ...creator(filter, 'createdBy'),
    ]);
  }

  async updateCampaign(campaign: Campaign): Promise<void> {
    const changed = this.database
      .sql('UPDATE campaigns SET status = ?, next_fire_at = ?, revision = ?, data = ? WHERE id = ? AND revision = ?')
      .run(campaign.status, campaign.nextFireAt ?? null, campaign.revision, JSON.stringify(campaign), campaign.id, campaign.revision - 1);
    if (changed.changes === 0) {
      throw new ConflictError(`Campaign ${campaign.id} changed since revision ${campaign.revision - 1} was read`);
    }
  }

  async campaignsDue(now: string, limit: number): Promise<Campaign[]> {
    return this.database.records<Campaign>(
      `SELECT data FROM campaigns WHERE next_fire_at IS NOT NULL AND next_fire_at <= ?
       AND status IN (${DUE_CAMPAIGN_STATUSES.map((s) => `'${s}'`).join(', ')}) ORDER BY next_fire_at LIMIT ?`,
      now,
      Math.max(1, Math.floor(limit)),
    );
  }

  async insertRun(run: CampaignRun): Promise<boolean> {
    return (
      this.database
        .sql(
          `INSERT INTO campaign_runs (campaign_id, run_id, sending_done, data) VALUES (?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
        )
        .run(run.campaignId, run.runId, run.sendingDone ? 1 : 0, JSON.stringify(run)).changes > 0
    );
  }

  async getRun(campaignId: string, runId: string): Promise<CampaignRun | undefined> {
    return this.database.record<CampaignRun>('SELECT data FROM campaign_runs WHERE campaign_id = ? AND run_id = ?', campaignId, runId);
  }

  async saveRun(run: CampaignRun): Promise<void> {
    this.database
      .sql(
        `INSERT INTO campaign_runs (campaign_id, run_id, sending_done, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (campaign_id, run_id) DO UPDATE SET sending_done = excluded.sending_done, data = excluded.data`,
      )
      .run(run.campaignId, run.runId, run.sendingDone ? 1 : 0, JSON.stringify(run));
  }

  async listUnfinishedRuns(): Promise<CampaignRun[]> {
    return this.database.records<CampaignRun>('SELECT data FROM campaign_runs WHERE sending_done = 0 ORDER BY campaign_id, run_id');
  }
}
