import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format';
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
          <h3>{t('counts.byCarrier')}</h3>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('counts.carrier')}</th>
                  <th scope="col" className="number">
                    {t('counts.people')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {carriers.map((row) => (
                  <tr key={row.carrier}>
                    <th scope="row">{t(`carriers.${row.carrier}`, { defaultValue: row.carrier })}</th>
                    <td className="number">{number(row.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>{t('counts.byArea')}</h3>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('counts.area')}</th>
                  <th scope="col" className="number">
                    {t('counts.people')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {byArea.map((node) => (
                  <tr key={node.code}>
                    <th scope="row" className={`segment-counts__area segment-counts__area--depth-${Math.min(node.depth, 4)}`}>
                      {node.name}
                    </th>
                    <td className="number">{number(node.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
