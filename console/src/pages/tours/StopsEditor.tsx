import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client';
import { CommuneField } from './CommuneField';
import type { Area } from './tours-api';
import { addStop, moveStop, removeStop, setMinutes, type PlannedStop } from './tour-stops';

/** The route: residential areas picked commune by commune from the area tree, in order, with minutes each. */
export function StopsEditor({
  areas,
  stops,
  onChange,
  problem,
}: {
  areas: readonly Area[];
  stops: readonly PlannedStop[];
  onChange(stops: PlannedStop[]): void;
  problem: ApiError | undefined;
}) {
  const { t } = useTranslation('tours');
  const parents = new Set(areas.map((area) => area.parentCode).filter(Boolean));
  const [commune, setCommune] = useState('');
  const names = new Map(areas.map((area) => [area.code, area]));
  const residential = areas.filter((area) => area.parentCode === commune && !parents.has(area.code));

  return (
    <fieldset className="field stops-editor" data-field="stops">
      <legend>{t('stopsLegend')}</legend>
      {problem?.fieldMessage('stops') && <p className="field__error">{problem.fieldMessage('stops')}</p>}
      <CommuneField label={t('commune')} areas={areas} value={commune} onChange={setCommune} />
      {residential.length > 0 && (
        <ul className="stops-editor__areas">
          {residential.map((area) => (
            <li key={area.code}>
              <button
                type="button"
                className="button button--secondary"
                disabled={stops.some((stop) => stop.areaCode === area.code)}
                onClick={() => onChange(addStop(stops, area.code))}
              >
                {t('addStop', { area: area.name })}
              </button>
              {area.quiet && <span className="tag">{t('quietArea')}</span>}
            </li>
          ))}
        </ul>
      )}
      <ol className="stops-editor__route">
        {stops.map((stop, index) => {
          const area = names.get(stop.areaCode);
          return (
            <li key={stop.areaCode}>
              <span className="stops-editor__name">{area?.name ?? stop.areaCode}</span>
              <label>
                {t('minutesLabel')}{' '}
                <input
                  type="number"
                  min={1}
                  max={240}
                  value={stop.minutes}
                  onChange={(event) => onChange(setMinutes(stops, index, Number(event.target.value)))}
                />
              </label>
              <button
                type="button"
                className="button button--secondary"
                aria-label={t('moveUp', { area: area?.name })}
                onClick={() => onChange(moveStop(stops, index, -1))}
              >
                ↑
              </button>
              <button
                type="button"
                className="button button--secondary"
                aria-label={t('moveDown', { area: area?.name })}
                onClick={() => onChange(moveStop(stops, index, 1))}
              >
                ↓
              </button>
              <button type="button" className="button button--secondary" onClick={() => onChange(removeStop(stops, index))}>
                {t('removeStop')}
              </button>
            </li>
          );
        })}
      </ol>
    </fieldset>
  );
}
