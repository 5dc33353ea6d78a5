import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime, formatNumber } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { StatusTag } from '../../ui/StatusTag';
import { useLoad } from '../../ui/useLoad';
import { finishedPercent } from '../campaigns/campaign-progress';
import { campaign, campaigns, type CampaignDetail } from './home-api';

/** Often enough to watch a campaign move; each refresh reads counters, never receipts. */
const REFRESH_MS = 3_000;
const SENDING_STATUSES = 'sending,paused,scheduled,approved';

/** For operators: campaigns sending or about to, each with a small progress bar from its counters. */
export function SendingSection() {
  const { t } = useTranslation('home');
  const live = useLoad(
    async () => {
      const list = await campaigns({ status: SENDING_STATUSES });
      return { items: await Promise.all(list.items.map(({ id }) => campaign(id))), more: list.more };
    },
    [],
    REFRESH_MS,
  );
  const data = live.data;
  return (
    <section className="home-section" aria-labelledby="sending-title">
      <h2 id="sending-title">{t('sending.title')}</h2>
      <ErrorSummary error={live.error} onRetry={live.reload} />
      {!data && !live.error && <p>{t('common:loading')}</p>}
      {data && data.items.length === 0 && <p>{t('sending.none')}</p>}
      {data && data.items.length > 0 && (
        <>
          <p className="home-muted">{t('sending.refreshing', { seconds: REFRESH_MS / 1000 })}</p>
          <ul className="sending">
            {data.items.map((item) => (
              <SendingCampaign key={item.id} campaign={item} />
            ))}
          </ul>
          {data.more && (
            <p>
              <Link to="/campaigns?state=sending">{t('seeAll')}</Link>
            </p>
          )}
        </>
      )}
    </section>
  );
}

function SendingCampaign({ campaign }: { campaign: CampaignDetail }) {
  const { t, i18n } = useTranslation('home');
  const number = (value: number) => formatNumber(value, i18n.language);
  const { counts } = campaign;
  const finished = counts.delivered + counts.failed + counts.expired;
  const percent = Math.floor(finishedPercent(counts));
  const barId = `progress-${campaign.id}`;
  return (
    <li className="sending__item">
      <p className="sending__head">
        <Link to={`/campaigns/${encodeURIComponent(campaign.id)}`} className="work__title">
          {campaign.test ? t('testTitle', { name: campaign.name }) : campaign.name}
        </Link>{' '}
        <StatusTag status={campaign.status} />
      </p>
      {counts.total === 0 ? (
        <p className="work__detail">
          {campaign.nextFireAt ? t('sending.nextRun', { at: formatDateTime(campaign.nextFireAt) }) : t('sending.notStarted')}
        </p>
      ) : (
        <>
          <label htmlFor={barId} className="sending__label">
            {t('sending.progress', { finished: number(finished), total: number(counts.total), percent })}
          </label>
          <progress id={barId} className="sending__bar" max={counts.total} value={finished} />
          <p className="work__detail">
            {t('sending.counts', {
              delivered: number(counts.delivered),
              failed: number(counts.failed + counts.expired),
              waiting: number(counts.queued + counts.submitted),
            })}
          </p>
        </>
      )}
    </li>
  );
}
