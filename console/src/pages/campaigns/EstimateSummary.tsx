import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format';
import { TableHead } from '../../ui/TableHead';
import type { CampaignEstimate } from './campaign-api';
import { ScrollingTable } from './ScrollingTable';
import { durationParts } from './campaign-progress';

/** Who the campaign reaches, what it costs and how long it takes at the gateways' rates, by carrier, if it were sent now. */
export function EstimateSummary({ estimate }: { estimate: CampaignEstimate }) {
  const { t, i18n } = useTranslation('campaigns');
  const number = (value: number) => formatNumber(value, i18n.language);
  const money = (value: number | undefined) =>
    value === undefined ? t('estimate.noPrice') : `${number(value)} ${estimate.currency ?? ''}`.trim();
  const duration = (seconds: number) => {
    const { hours, minutes, seconds: rest } = durationParts(seconds);
    const parts = [
      hours > 0 && t('estimate.hours', { count: hours }),
      minutes > 0 && t('estimate.minutes', { count: minutes }),
      (rest > 0 || (hours === 0 && minutes === 0)) && t('estimate.seconds', { count: rest }),
    ];
    return parts.filter(Boolean).join(' ');
  };
  const carriers = Object.entries(estimate.byCarrier).sort(([, a], [, b]) => b.recipients - a.recipients);
  return (
    <>
      <dl className="summary">
        <dt>{t('estimate.recipients')}</dt>
        <dd>{number(estimate.recipients)}</dd>
        <dt>{t('estimate.parts')}</dt>
        <dd>
          {t('estimate.partsValue', { parts: number(estimate.parts), perMessage: estimate.partsPerMessage, encoding: estimate.encoding })}
        </dd>
        <dt>{t('estimate.cost')}</dt>
        <dd>{money(estimate.cost)}</dd>
        <dt>{t('estimate.duration')}</dt>
        <dd>
          {estimate.sendingSeconds === undefined
            ? t('estimate.noRate')
            : t('estimate.durationValue', { duration: duration(estimate.sendingSeconds) })}
        </dd>
      </dl>
      <ScrollingTable label={t('estimate.byCarrier')}>
        <table>
          <caption>{t('estimate.byCarrier')}</caption>
          <TableHead
            columns={[
              { label: t('carrier') },
              { label: t('estimate.recipients'), number: true },
              { label: t('estimate.parts'), number: true },
              { label: t('estimate.cost'), number: true },
              { label: t('estimate.duration'), number: true },
            ]}
          />
          <tbody>
            {carriers.map(([carrier, row]) => (
              <tr key={carrier}>
                <th scope="row">{t(`carriers.${carrier}`, { defaultValue: carrier })}</th>
                <td className="number">{number(row.recipients)}</td>
                <td className="number">{number(row.parts)}</td>
                <td className="number">{money(row.cost)}</td>
                <td className="number">{row.sendingSeconds === undefined ? '' : duration(row.sendingSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollingTable>
    </>
  );
}
