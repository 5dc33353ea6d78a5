/**
 * The CampaignStore on the Loa table: a campaign and its runs in one partition, `CMP#<id>`; the timers
 * index holds a campaign while it waits for its fire time and a run while it is still sending.
 */
import type { CampaignStore } from '../../core/campaigns/campaign-store.js';
import { isFiltered, type CampaignFilter } from '../../core/list-filters.js';
import type { Campaign, CampaignRun, Page, PageRequest } from '../../core/model.js';
import { filteredCampaigns } from './dynamodb-filtered-lists.js';
import { getRecord, insertRecord, plain, putIfNew, putItem, strip, updateRecord, type Item, type Table } from './items.js';
import { indexKeys, keys, List, Timers } from './keys.js';
import { listPage, pageSize, query, queryAll } from './paging.js';
import { Index } from './table.js';

export class DynamoDbCampaignStore implements CampaignStore {
  constructor(private readonly table: Table) {}

  async insertCampaign(campaign: Campaign): Promise<void> {
    await insertRecord(this.table, campaignItem(campaign), `Campaign ${campaign.id}`);
  }

  async getCampaign(id: string): Promise<Campaign | undefined> {
    return getRecord<Campaign>(this.table, keys.campaign(id));
  }

  async listCampaigns(page: PageRequest, filter: CampaignFilter = {}): Promise<Page<Campaign>> {
    if (isFiltered(filter)) return filteredCampaigns(this.table, filter, page);
    return listPage<Campaign>(this.table, List.campaigns, page);
  }

  async updateCampaign(campaign: Campaign): Promise<void> {
    await updateRecord(this.table, campaignItem(campaign), campaign.revision, `Campaign ${campaign.id}`);
  }

  async campaignsDue(now: string, limit: number): Promise<Campaign[]> {
    // The timers index holds a campaign only while it is approved or scheduled with a next fire time.
    const result = await query(this.table, {
      TableName: this.table.tableName,
      IndexName: Index.timers.name,
      KeyConditionExpression: '#pk = :due AND #sk <= :upper',
      ExpressionAttributeNames: { '#pk': Index.timers.pk, '#sk': Index.timers.sk },
      ExpressionAttributeValues: { ':due': Timers.dueCampaigns, ':upper': `${now}#\uffff` },
      Limit: pageSize({ limit }),
    });
    return result.items.map((item) => strip<Campaign>(item));
  }

  async insertRun(run: CampaignRun): Promise<boolean> {
    return putIfNew(this.table, runItem(run));
  }

  async getRun(campaignId: string, runId: string): Promise<CampaignRun | undefined> {
    return getRecord<CampaignRun>(this.table, keys.run(campaignId, runId));
  }

  async saveRun(run: CampaignRun): Promise<void> {
    await putItem(this.table, runItem(run));
  }

  async listUnfinishedRuns(): Promise<CampaignRun[]> {
    const items = await queryAll(this.table, {
      IndexName: Index.timers.name,
      KeyConditionExpression: '#pk = :open',
      ExpressionAttributeNames: { '#pk': Index.timers.pk },
      ExpressionAttributeValues: { ':open': Timers.openRuns },
    });
    return items.map((item) => strip<CampaignRun>(item));
  }
}

function campaignItem(campaign: Campaign): Item {
  return { ...plain(campaign), ...keys.campaign(campaign.id), ...indexKeys.campaign(campaign) };
}

function runItem(run: CampaignRun): Item {
  return { ...plain(run), ...keys.run(run.campaignId, run.runId), ...indexKeys.run(run) };
}
