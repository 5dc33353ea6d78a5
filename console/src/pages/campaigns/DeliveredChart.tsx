import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatNumber, formatTime } from '../../format';
import { TableHead } from '../../ui/TableHead';
import { ScrollingTable } from './ScrollingTable';
import { deliveredChart, type DeliveredPoint } from './campaign-progress';

const BOX = { width: 640, height: 240, left: 64, right: 16, top: 12, bottom: 32 };

/**
 * The running total of delivered messages over time, drawn as a line; a screen reader hears its title and
 * description, and the same numbers are in a table beneath it.
 */
export function DeliveredChart({ series }: { series: readonly DeliveredPoint[] }) {
  const { t, i18n } = useTranslation('campaigns');
  const titleId = useId();
  const descriptionId = useId();
  const chart = deliveredChart(series, BOX);
  const number = (value: number) => formatNumber(value, i18n.language);
  if (!chart) return <p>{t('progress.chartEmpty')}</p>;
  const last = series[series.length - 1]!;
  return (
    <figure className="delivered-chart">
      <svg
        viewBox={`0 0 ${BOX.width} ${BOX.height}`}
        role="img"
        aria-labelledby={`${titleId} ${descriptionId}`}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={titleId}>{t('progress.chartTitle')}</title>
        <desc id={descriptionId}>
          {t('progress.chartDescription', {
            total: number(last.cumulative),
            from: formatDateTime(chart.xStart.time),
            to: formatDateTime(chart.xEnd.time),
          })}
        </desc>
        {chart.yTicks.map((tick) => (
          <g key={tick.value}>
            <line className="delivered-chart__grid" x1={BOX.left} x2={BOX.width - BOX.right} y1={tick.y} y2={tick.y} />
            <text className="delivered-chart__label" x={BOX.left - 8} y={tick.y + 4} textAnchor="end">
              {number(tick.value)}
            </text>
          </g>
        ))}
        <text className="delivered-chart__label" x={chart.xStart.x} y={BOX.height - 8} textAnchor="start">
          {formatTime(chart.xStart.time)}
        </text>
        <text className="delivered-chart__label" x={chart.xEnd.x} y={BOX.height - 8} textAnchor="end">
          {formatTime(chart.xEnd.time)}
        </text>
        <path className="delivered-chart__line" d={chart.path} />
      </svg>
      <details>
        <summary>{t('progress.chartTable')}</summary>
        <ScrollingTable label={t('progress.chartTitle')}>
          <table>
            <caption>{t('progress.chartTitle')}</caption>
            <TableHead
              columns={[
                { label: t('progress.minute') },
                { label: t('progress.deliveredInMinute'), number: true },
                { label: t('progress.deliveredSoFar'), number: true },
              ]}
            />
            <tbody>
              {series.map((point) => (
                <tr key={point.minute.toISOString()}>
                  <th scope="row">{formatDateTime(point.minute)}</th>
                  <td className="number">{number(point.delivered)}</td>
                  <td className="number">{number(point.cumulative)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      </details>
    </figure>
  );
}
