import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format';
import { TableHead } from '../../ui/TableHead';
import type { AreaRecord } from '../subscribers/area-tree';
import { areaRows, carrierRows } from './segment-counts';
import type { SegmentCounts } from './segment-preview';

/** Who a segment reaches: the total, then by carrier and by area (an area with its whole subtree), under an h2. */
export function SegmentCountsView({ counts, areas }: { counts: SegmentCounts; areas: readonly AreaRecord[] }) {
  const { t, i18n } = useTranslation('segments');
  const number = (value: number) => formatNumber(value, i18n.language);
  const carriers = carrierRows(counts.byCarrier);
  const byArea = areaRows(areas, counts.byArea);
  return (
    <div className="segment-counts">
      <p className="segment-counts__total">
        <span className="segment-counts__number">{number(counts.total)}</span> {t('counts.recipients', { count: counts.total })}
      </p>
      {counts.total === 0 ? (
        <p>{t('counts.nobody')}</p>
      ) : (
        <>
          <CountTable
            heading={t('counts.byCarrier')}
            rowsAre={t('counts.carrier')}
            rows={carriers.map((row) => ({
              key: row.carrier,
              label: t(`carriers.${row.carrier}`, { defaultValue: row.carrier }),
              count: row.count,
            }))}
          />
          <CountTable
            heading={t('counts.byArea')}
            rowsAre={t('counts.area')}
            rows={byArea.map((node) => ({
              key: node.code,
              label: node.name,
              className: `segment-counts__area segment-counts__area--depth-${Math.min(node.depth, 4)}`,
              count: node.count,
            }))}
          />
        </>
      )}
    </div>
  );
}

/** How many people a segment reaches in each row (a carrier, an area), under an h3. */
function CountTable({
  heading,
  rowsAre,
  rows,
}: {
  heading: string;
  /** The heading of the column naming the rows. */
  rowsAre: string;
  rows: readonly { key: string; label: string; className?: string; count: number }[];
}) {
  const { t, i18n } = useTranslation('segments');
  return (
    <>
      <h3>{heading}</h3>
      <div className="table-wrap">
        <table>
          <TableHead columns={[{ label: rowsAre }, { label: t('counts.people'), number: true }]} />
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row" className={row.className}>
                  {row.label}
                </th>
                <td className="number">{formatNumber(row.count, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
