import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError, asApiError, call } from '../../api/client';
import { formatTime, getTimeZone } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Field } from '../../ui/Field';
import { Page } from '../../ui/Page';
import { useLoad } from '../../ui/useLoad';
import { ScheduleBuilder } from '../campaigns/ScheduleBuilder';
import { defaultOnce, expressionFor, type ScheduleChoice } from '../campaigns/schedule-builder';
import { StopsEditor } from './StopsEditor';
import { allAreas, allVans, approvedScripts, type TourCheck } from './tours-api';
import type { PlannedStop } from './tour-stops';
import './tours.css';

const CHECK_DELAY_MS = 400;

/**
 * Authors plan a tour: a van, an approved script, a start and a route of residential areas. The rules
 * (the van busy, quiet hours, slots, quiet areas, an area's daily limit) are checked as the plan changes,
 * by the API's dry run, in the rules' own words.
 */
export function TourBuilderPage() {
  const { t } = useTranslation('tours');
  const navigate = useNavigate();
  const timezone = getTimeZone();
  const [now] = useState(() => new Date());
  const options = useLoad(async () => {
    const [vans, scripts, areas] = await Promise.all([allVans(), approvedScripts(), allAreas()]);
    return { vans: vans.filter((van) => van.status === 'active'), scripts, areas };
  }, []);
  const [name, setName] = useState('');
  const [vanId, setVanId] = useState('');
  const [scriptId, setScriptId] = useState('');
  const [priority, setPriority] = useState<'normal' | 'emergency'>('normal');
  const [schedule, setSchedule] = useState<ScheduleChoice>(() => ({ kind: 'once', ...defaultOnce(now, timezone) }));
  const [stops, setStops] = useState<PlannedStop[]>([]);
  const [check, setCheck] = useState<TourCheck>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const script = options.data?.scripts.find((candidate) => candidate.id === scriptId);
  const expression = expressionFor(schedule);
  const plan = useMemo(
    () =>
      vanId && script && expression && stops.length > 0
        ? { name: name.trim() || '…', vanId, scriptId: script.id, scriptVersion: script.version, priority, schedule: { expression }, stops }
        : undefined,
    [name, vanId, script, expression, priority, stops],
  );

  useEffect(() => {
    if (!plan) {
      setCheck(undefined);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      call(api.POST('/v1/tours/check', { body: plan })).then(
        (result) => !cancelled && setCheck(result),
        () => !cancelled && setCheck(undefined),
      );
    }, CHECK_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [plan]);

  const areaNames = useMemo(() => new Map(options.data?.areas.map((area) => [area.code, area.name])), [options.data]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!plan) {
      setError(new ApiError(422, 'incomplete', t('incomplete')));
      return;
    }
    setBusy(true);
    try {
      const tour = await call(api.POST('/v1/tours', { body: { ...plan, name } }));
      navigate(`/tours/${tour.id}`);
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('planTour')}>
      <ErrorSummary error={error ?? options.error} onRetry={options.error ? options.reload : undefined} />
      <form onSubmit={(event) => void submit(event)} noValidate className="tour-builder">
        <div className="tour-builder__plan">
          <Field label={t('tourName')} name="name" problem={error}>
            {(control) => <input {...control} value={name} onChange={(event) => setName(event.target.value)} />}
          </Field>
          <Field label={t('van')} name="vanId" problem={error}>
            {(control) => (
              <select {...control} value={vanId} onChange={(event) => setVanId(event.target.value)}>
                <option value="">{t('choose')}</option>
                {options.data?.vans.map((van) => (
                  <option key={van.id} value={van.id}>
                    {van.plate} · {van.crewLead.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('scriptLabel')} hint={t('scriptHint')} name="scriptId" problem={error}>
            {(control) => (
              <select {...control} value={scriptId} onChange={(event) => setScriptId(event.target.value)}>
                <option value="">{t('choose')}</option>
                {options.data?.scripts.map((candidate) => (
                  <option key={candidate.id} value={candidate.id}>
                    {t('scriptOption', { name: candidate.name, version: candidate.version })}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {script && <p className="tour-script">{script.body}</p>}
          <fieldset className="field">
            <legend>{t('priority')}</legend>
            {(['normal', 'emergency'] as const).map((value) => (
              <label key={value} className="choice">
                <input type="radio" name="priority" checked={priority === value} onChange={() => setPriority(value)} />{' '}
                {t(`priorities.${value}`)}
              </label>
            ))}
          </fieldset>
          <ScheduleBuilder choice={schedule} onChange={setSchedule} timezone={timezone} problem={error} now={now} />
          {options.data && <StopsEditor areas={options.data.areas} stops={stops} onChange={setStops} problem={error} />}
          <button type="submit" className="button" disabled={busy}>
            {t('saveDraft')}
          </button>
          <p className="field__hint">{t('saveDraftNext')}</p>
        </div>
        <aside className="tour-builder__checks" aria-live="polite" aria-labelledby="checks-title">
          <h2 id="checks-title">{t('checksTitle')}</h2>
          {!check && <p>{t('checksPending')}</p>}
          {check && check.problems.length === 0 && check.warnings.length === 0 && (
            <p className="notice notice--success">{t('checksPass')}</p>
          )}
          {check && check.problems.length > 0 && (
            <div className="notice notice--error">
              <h3>{t('problems')}</h3>
              <ul>
                {check.problems.map((problem) => (
                  <li key={problem.field + problem.message}>{problem.message}</li>
                ))}
              </ul>
            </div>
          )}
          {check && check.warnings.length > 0 && (
            <div className="notice notice--warning">
              <h3>{t('warnings')}</h3>
              <ul>
                {check.warnings.map((warning) => (
                  <li key={warning}>{warning}</li>
                ))}
              </ul>
            </div>
          )}
          {check?.firstRun && (
            <>
              <h3>{t('firstRun')}</h3>
              <ol>
                {check.firstRun.stops.map((stop) => (
                  <li key={stop.areaCode}>
                    {formatTime(stop.startsAt)}–{formatTime(stop.endsAt)} {areaNames.get(stop.areaCode) ?? stop.areaCode}
                  </li>
                ))}
              </ol>
            </>
          )}
        </aside>
      </form>
    </Page>
  );
}
