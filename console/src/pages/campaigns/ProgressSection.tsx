import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { TableHead } from '../../ui/TableHead';
import { useLoad } from '../../ui/useLoad';
import { getProgress, loadAreaNames } from './campaign-api';
import {
  areaRows,
  carrierBars,
  deliveredSeries,
  finishedPercent,
  RECEIPT_STATUSES,
  statusShares,
  type StatusShare,
} from './campaign-progress';
import { ScrollingTable } from './ScrollingTable';
import { DeliveredChart } from './DeliveredChart';

const REFRESH_MS = 2_000;

/**
 * Live progress from the campaign's counters, refreshed every 2 seconds while it may still send: the
 * five statuses, a bar per carrier, a row per area, and delivered over time.
 */
export function ProgressSection({ campaignId, live }: { campaignId: string; live: boolean }) {
  const { t, i18n } = useTranslation('campaigns');
  const progress = useLoad(() => getProgress(campaignId), [campaignId], live ? REFRESH_MS : undefined);
  const names = useLoad(() => loadAreaNames(), []);
  const number = (value: number) => formatNumber(value, i18n.language);
  const percent = (value: number) => `${formatNumber(Math.round(value * 10) / 10, i18n.language)}%`;
  const data = progress.data;
  const series = useMemo(() => deliveredSeries(data?.deliveredOverTime ?? []), [data]);

  return (
    <section className="progress" aria-labelledby="progress-title">
      <h2 id="progress-title">{t('progress.title')}</h2>
      <ErrorSummary error={progress.error} onRetry={progress.reload} />
      {data && (
        <>
          <div className="progress__overall">
            <p>
              {t('progress.finished', { finished: percent(finishedPercent(data.counts)), total: number(data.counts.total) })}
              {live && <span className="muted"> {t('progress.refreshing')}</span>}
            </p>
            <StackedBar shares={statusShares(data.counts)} label={t('progress.overallBar')} />
          </div>
          <ul className="cards" aria-label={t('progress.counters')}>
            {RECEIPT_STATUSES.map((status) => (
              <li key={status} className={`card card--${status}`}>
                <span className="card__label">{t(`receiptStatus.${status}`)}</span>
                <span className="card__value" data-status={status}>
                  {number(data.counts[status])}
                </span>
              </li>
            ))}
            <li className="card">
              <span className="card__label">{t('progress.total')}</span>
              <span className="card__value" data-status="total">
                {number(data.counts.total)}
              </span>
            </li>
          </ul>
          <StatusLegend />

          <h3>{t('progress.byCarrier')}</h3>
          {carrierBars(data.byCarrier).length === 0 && <p>{t('progress.nothingYet')}</p>}
          <ul className="carrier-bars">
            {carrierBars(data.byCarrier).map((row) => (
              <li key={row.key}>
                <span className="carrier-bars__name">
                  {t(`carriers.${row.key}`, { defaultValue: row.key })}{' '}
                  <span className="muted">
                    {t('progress.carrierSummary', { delivered: number(row.counts.delivered), total: number(row.counts.total) })}
                  </span>
                </span>
                <StackedBar
                  shares={row.shares}
                  label={t('progress.carrierBar', { carrier: t(`carriers.${row.key}`, { defaultValue: row.key }) })}
                />
              </li>
            ))}
          </ul>

          <h3>{t('progress.byArea')}</h3>
          <ScrollingTable label={t('progress.byArea')}>
            <table>
              <caption className="visually-hidden">{t('progress.byArea')}</caption>
              <TableHead
                columns={[
                  { label: t('progress.area') },
                  ...RECEIPT_STATUSES.map((status) => ({ label: t(`receiptStatus.${status}`), number: true })),
                  { label: t('progress.total'), number: true },
                ]}
              />
              <tbody>
                {areaRows(data.byArea, names.data ?? new Map()).map((row) => (
                  <tr key={row.key}>
                    <th scope="row">{row.name ?? (row.key === 'unknown' ? t('progress.unknownArea') : row.key)}</th>
                    {RECEIPT_STATUSES.map((status) => (
                      <td key={status} className="number">
                        {number(row.counts[status])}
                      </td>
                    ))}
                    <td className="number">{number(row.counts.total)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollingTable>

          <h3>{t('progress.overTime')}</h3>
          <DeliveredChart series={series} />
        </>
      )}
    </section>
  );
}

/** One bar split by status; its numbers are in the cards and tables, so the bar itself is a picture. */
function StackedBar({ shares, label }: { shares: StatusShare[]; label: string }) {
  return (
    <div className="stacked-bar" role="img" aria-label={label}>
      {shares
        .filter((share) => share.percent > 0)
        .map((share) => (
          <span
            key={share.status}
            className={`stacked-bar__part stacked-bar__part--${share.status}`}
            style={{ width: `${share.percent}%` }}
          />
        ))}
    </div>
  );
}

function StatusLegend() {
  const { t } = useTranslation('campaigns');
  return (
    <ul className="legend" aria-hidden="true">
      {RECEIPT_STATUSES.map((status) => (
        <li key={status}>
          <span className={`legend__swatch stacked-bar__part--${status}`} /> {t(`receiptStatus.${status}`)}
        </li>
      ))}
    </ul>
  );
}
