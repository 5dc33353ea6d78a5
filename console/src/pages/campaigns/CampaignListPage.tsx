import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, call } from '../../api/client';
import { useUser } from '../../auth/AuthContext';
import { hasRole } from '../../auth/user';
import { formatDateTime } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Page } from '../../ui/Page';
import { StatusTag } from '../../ui/StatusTag';
import { useLoad } from '../../ui/useLoad';
import type { CampaignStatus, CampaignSummary } from './campaign-api';
import { ScrollingTable } from './ScrollingTable';
import './campaigns.css';

/** The tabs of the list, each a group of states as staff think of them. */
const TABS: Record<string, readonly CampaignStatus[]> = {
  all: [],
  draft: ['draft'],
  pending: ['pending_approval'],
  upcoming: ['approved', 'scheduled'],
  sending: ['sending', 'paused'],
  finished: ['completed', 'cancelled'],
};

/** Campaigns by state, newest first, a test campaign marked with the striped CHẠY THỬ tag. */
export function CampaignListPage() {
  const { t } = useTranslation('campaigns');
  const user = useUser();
  const [search, setSearch] = useSearchParams();
  const tab = search.get('state') && search.get('state')! in TABS ? search.get('state')! : 'all';
  const statuses = TABS[tab] ?? [];
  const [pages, setPages] = useState(1);
  const list = useLoad(async () => {
    const items: CampaignSummary[] = [];
    let cursor: string | undefined;
    let more = false;
    for (let page = 0; page < pages; page++) {
      const result = await call(
        api.GET('/v1/campaigns', {
          params: { query: { limit: 100, ...(cursor && { cursor }), ...(statuses.length > 0 && { status: statuses.join(',') }) } },
        }),
      );
      items.push(...result.items);
      cursor = result.nextCursor ?? undefined;
      more = cursor !== undefined;
      if (!more) break;
    }
    return { items: items.reverse(), more };
  }, [tab, pages]);

  return (
    <Page
      title={t('list.title')}
      actions={
        hasRole(user, 'author') && (
          <Link className="button" to="/campaigns/new">
            {t('list.new')}
          </Link>
        )
      }
    >
      <nav className="tabs" aria-label={t('list.tabsLabel')}>
        <ul>
          {Object.keys(TABS).map((key) => (
            <li key={key}>
              <Link
                to={key === 'all' ? '/campaigns' : `/campaigns?state=${key}`}
                aria-current={key === tab ? 'page' : undefined}
                onClick={() => {
                  setPages(1);
                  setSearch(key === 'all' ? {} : { state: key });
                }}
              >
                {t(`list.tabs.${key}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <ErrorSummary error={list.error} onRetry={list.reload} />
      {list.data && list.data.items.length === 0 && <p>{t('list.empty')}</p>}
      {list.data && list.data.items.length > 0 && (
        <ScrollingTable label={t(`list.tabs.${tab}`)}>
          <table className="campaign-list">
            <caption className="visually-hidden">{t(`list.tabs.${tab}`)}</caption>
            <thead>
              <tr>
                <th scope="col">{t('list.name')}</th>
                <th scope="col">{t('list.state')}</th>
                <th scope="col">{t('list.when')}</th>
                <th scope="col">{t('list.created')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((campaign) => (
                <tr key={campaign.id} className={campaign.test ? 'campaign-list__row--test' : undefined}>
                  <td>
                    <Link to={`/campaigns/${encodeURIComponent(campaign.id)}`}>{campaign.name}</Link>
                    {campaign.test && <span className="test-mark">{t('common:testBand.title')}</span>}
                    {campaign.priority === 'emergency' && <span className="tag tag--emergency">{t('priority.emergency')}</span>}
                  </td>
                  <td>
                    <StatusTag status={campaign.status} />
                  </td>
                  <td>
                    {campaign.nextFireAt ? (
                      formatDateTime(campaign.nextFireAt)
                    ) : campaign.schedule ? (
                      <code>{campaign.schedule.expression}</code>
                    ) : (
                      t('list.onApproval')
                    )}
                  </td>
                  <td>{t('list.createdBy', { by: campaign.createdBy, at: formatDateTime(campaign.createdAt) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      )}
      {list.data?.more && (
        <button type="button" className="button button--secondary" onClick={() => setPages(pages + 1)}>
          {t('common:actions.more')}
        </button>
      )}
    </Page>
  );
}
