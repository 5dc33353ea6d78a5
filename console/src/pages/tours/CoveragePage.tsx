import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client';
import { formatDate, getTimeZone } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Page } from '../../ui/Page';
import { TableHead } from '../../ui/TableHead';
import { useLoad } from '../../ui/useLoad';
import { byCommune, coverageLevel } from './coverage-view';
import { allAreas } from './tours-api';
import { addDays, localDay, mondayOf } from './week';
import './tours.css';

type Period = 'day' | 'week';

/** Which residential areas heard the loudspeakers, for a day or a week, commune by commune. */
export function CoveragePage() {
  const { t } = useTranslation('tours');
  const today = localDay(new Date(), getTimeZone());
  const [period, setPeriod] = useState<Period>('day');
  const [day, setDay] = useState(today);
  const from = period === 'day' ? day : mondayOf(day);
  const to = addDays(from, period === 'day' ? 1 : 7);
  const coverage = useLoad(async () => {
    const [result, areas] = await Promise.all([call(api.GET('/v1/coverage', { params: { query: { from, to } } })), allAreas()]);
    return { result, names: new Map(areas.map((area) => [area.code, area.name])) };
  }, [from, to]);
  // `areas` is every residential area; `uncovered` only repeats those with nothing planned.
  const communes = useMemo(() => (coverage.data ? byCommune(coverage.data.result.areas, coverage.data.names) : []), [coverage.data]);

  return (
    <Page title={t('coverageTitle')}>
      <ErrorSummary error={coverage.error} onRetry={coverage.reload} />
      <div className="actions">
        <label>
          {t('period')}{' '}
          <select value={period} onChange={(event) => setPeriod(event.target.value as Period)}>
            <option value="day">{t('periods.day')}</option>
            <option value="week">{t('periods.week')}</option>
          </select>
        </label>
        <label>
          {t('date')} <input type="date" value={day} onChange={(event) => event.target.value && setDay(event.target.value)} />
        </label>
      </div>
      <p>{t('coveragePeriod', { from: formatDate(`${from}T12:00:00Z`), to: formatDate(`${addDays(to, -1)}T12:00:00Z`) })}</p>
      <ul className="coverage-legend">
        {(['covered', 'planned', 'missed', 'uncovered'] as const).map((level) => (
          <li key={level}>
            <span className={`coverage-swatch coverage--${level}`} aria-hidden="true" /> {t(`levels.${level}`)}
          </li>
        ))}
      </ul>
      {communes.map((commune) => (
        <section key={commune.code} aria-labelledby={`commune-${commune.code}`}>
          <h2 id={`commune-${commune.code}`}>
            {commune.name}{' '}
            <span className="coverage-counts">
              {t('communeCounts', { covered: commune.counts.covered + commune.counts.planned, total: commune.areas.length })}
            </span>
          </h2>
          <div className="table-wrap">
            <table className="coverage">
              <TableHead
                columns={[
                  { label: t('area') },
                  { label: t('planned'), number: true },
                  { label: t('confirmed'), number: true },
                  { label: t('missedCount'), number: true },
                  { label: t('level') },
                ]}
              />
              <tbody>
                {commune.areas.map((area) => {
                  const level = coverageLevel(area);
                  return (
                    <tr key={area.code} className={`coverage--${level}`}>
                      <th scope="row">
                        {area.name}
                        {area.quiet && <span className="tag">{t('quietArea')}</span>}
                      </th>
                      <td className="number">{area.planned}</td>
                      <td className="number">{area.confirmed}</td>
                      <td className="number">{area.missed}</td>
                      <td>{t(`levels.${level}`)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </Page>
  );
}
