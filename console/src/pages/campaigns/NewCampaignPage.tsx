import { useEffect, useMemo, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ValidationError } from '../../../../lambdas/core/errors';
import { render } from '../../../../lambdas/core/templates/placeholders';
import { countSmsParts } from '../../../../lambdas/core/templates/sms-parts';
import { stripDiacritics } from '../../../../lambdas/core/templates/diacritics';
import { api, type ApiError, asApiError, call } from '../../api/client';
import { formatDateTime, formatNumber, getTimeZone } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Field } from '../../ui/Field';
import { Page } from '../../ui/Page';
import { useLoad } from '../../ui/useLoad';
import { getSegment, loadApprovedSmsVersions, loadSegmentChoices, type ApprovedVersion } from './campaign-api';
import { expressionFor, type ScheduleChoice } from './schedule-builder';
import { ScheduleBuilder } from './ScheduleBuilder';
import './campaigns.css';

const versionKey = (approved: ApprovedVersion) => `${approved.templateId}:${approved.version.version}`;

/**
 * An author makes a campaign: an approved SMS template version, its variables, a segment, the priority,
 * test mode, diacritics, and when it sends. It is saved as a draft, to be submitted for approval.
 */
export function NewCampaignPage() {
  const { t, i18n } = useTranslation('campaigns');
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const timezone = getTimeZone();
  const versions = useLoad(loadApprovedSmsVersions, []);

  const [name, setName] = useState('');
  const [templateKey, setTemplateKey] = useState(search.get('template') ?? '');
  const [segmentId, setSegmentId] = useState(search.get('segment') ?? '');
  const segments = useLoad(() => loadSegmentChoices(search.get('segment') ?? undefined), []);
  // The list carries no counts: the chosen segment alone is counted, live.
  const chosenSegment = useLoad(() => (segmentId ? getSegment(segmentId) : Promise.resolve(undefined)), [segmentId]);
  const [variables, setVariables] = useState<Record<string, string>>({});
  const [priority, setPriority] = useState<'normal' | 'emergency'>('normal');
  const [emergencyUnderstood, setEmergencyUnderstood] = useState(false);
  const [test, setTest] = useState(false);
  const [withoutDiacritics, setWithoutDiacritics] = useState(false);
  const [schedule, setSchedule] = useState<ScheduleChoice>({ kind: 'none' });
  const [problem, setProblem] = useState<ApiError>();
  const [ownErrors, setOwnErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const now = useMinuteClock();
  const ownSummary = useRef<HTMLDivElement>(null);
  useEffect(() => ownSummary.current?.focus(), [ownErrors]);

  const approved = versions.data?.find((candidate) => versionKey(candidate) === templateKey);
  const placeholders = approved?.version.placeholders ?? [];
  const message = useMemo(() => {
    if (!approved) return undefined;
    try {
      const rendered = render(approved.version.body, placeholders, variables);
      const text = withoutDiacritics ? stripDiacritics(rendered) : rendered;
      return { text, ...countSmsParts(text) };
    } catch (error) {
      if (error instanceof ValidationError) return undefined;
      throw error;
    }
  }, [approved, placeholders, variables, withoutDiacritics]);

  const choosePriority = (event: ChangeEvent<HTMLInputElement>) => setPriority(event.target.value === 'emergency' ? 'emergency' : 'normal');
  const understandEmergency = (event: ChangeEvent<HTMLInputElement>) => setEmergencyUnderstood(event.target.checked);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (name.trim() === '') found.name = t('new.errors.name');
    if (!approved) found.template = t('new.errors.template');
    if (segmentId === '') found.segmentId = t('new.errors.segment');
    for (const placeholder of placeholders) {
      if ((variables[placeholder.name] ?? '').trim() === '') found[`variables.${placeholder.name}`] = t('new.errors.variable');
    }
    if (priority === 'emergency' && !emergencyUnderstood) found.emergency = t('new.errors.emergency');
    setOwnErrors(found);
    setProblem(undefined);
    if (Object.keys(found).length > 0 || !approved) {
      return;
    }
    const expression = expressionFor(schedule);
    setBusy(true);
    try {
      const campaign = await call(
        api.POST('/v1/campaigns', {
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          body: {
            name: name.trim(),
            templateId: approved.templateId,
            templateVersion: approved.version.version,
            segmentId,
            variables: Object.fromEntries(placeholders.map(({ name: placeholder }) => [placeholder, variables[placeholder] ?? ''])),
            priority,
            test,
            stripDiacritics: withoutDiacritics,
            ...(expression !== undefined && { schedule: { expression, timezone } }),
          },
        }),
      );
      navigate(`/campaigns/${encodeURIComponent(campaign.id)}`, { state: { created: true } });
    } catch (error) {
      setProblem(asApiError(error));
      window.scrollTo({ top: 0 });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t('new.title')}>
      <ErrorSummary
        error={problem ?? versions.error ?? segments.error}
        onRetry={problem ? undefined : versions.error ? versions.reload : segments.reload}
      />
      {Object.keys(ownErrors).length > 0 && (
        <div className="error-summary" role="alert" tabIndex={-1} ref={ownSummary}>
          <h2>{t('new.errors.title')}</h2>
          <ul>
            {Object.entries(ownErrors).map(([field, text]) => (
              <li key={field}>{text}</li>
            ))}
          </ul>
        </div>
      )}
      <form className="campaign-form" onSubmit={(event) => void submit(event)} noValidate>
        <Field label={t('new.name')} hint={t('new.nameHint')} name="name" problem={problem} error={ownErrors.name}>
          {(control) => <input {...control} type="text" value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />}
        </Field>

        <Field
          label={t('new.template')}
          hint={t('new.templateHint')}
          name="templateId"
          problem={problem}
          error={ownErrors.template ?? problem?.fieldMessage('templateVersion')}
        >
          {(control) => (
            <select {...control} value={templateKey} onChange={(event) => setTemplateKey(event.target.value)}>
              <option value="">{versions.loading ? t('new.loadingChoices') : t('new.choose')}</option>
              {versions.data?.map((candidate) => (
                <option key={versionKey(candidate)} value={versionKey(candidate)}>
                  {t('new.templateOption', { name: candidate.templateName, version: candidate.version.version })}
                </option>
              ))}
            </select>
          )}
        </Field>
        {approved && (
          <div className="template-body">
            <h2 className="template-body__title">{t('new.templateText')}</h2>
            <p className="message-text">{approved.version.body}</p>
          </div>
        )}

        {placeholders.length > 0 && (
          <fieldset className="field">
            <legend>{t('new.variables')}</legend>
            <p className="field__hint">{t('new.variablesHint')}</p>
            {placeholders.map((placeholder) => (
              <Field
                key={placeholder.name}
                label={placeholder.name}
                hint={t('new.variableHint', { max: formatNumber(placeholder.maxLength, i18n.language) })}
                name={`variables.${placeholder.name}`}
                problem={problem}
                error={ownErrors[`variables.${placeholder.name}`]}
              >
                {(control) => (
                  <input
                    {...control}
                    type="text"
                    maxLength={placeholder.maxLength}
                    value={variables[placeholder.name] ?? ''}
                    onChange={(event) => setVariables({ ...variables, [placeholder.name]: event.target.value })}
                  />
                )}
              </Field>
            ))}
          </fieldset>
        )}

        <fieldset className="field">
          <legend>{t('new.options')}</legend>
          <label className="choice">
            <input type="checkbox" checked={withoutDiacritics} onChange={(event) => setWithoutDiacritics(event.target.checked)} />{' '}
            {t('new.withoutDiacritics')}
          </label>
          <p className="field__hint choice__hint">{t('new.withoutDiacriticsHint')}</p>
        </fieldset>

        {message && (
          <div className="message-preview" aria-live="polite">
            <h2>{t('new.preview')}</h2>
            <p className="message-text">{message.text}</p>
            <p>
              {t('new.previewCount', {
                characters: formatNumber(message.text.length, i18n.language),
                encoding: message.encoding,
                parts: message.parts,
              })}
            </p>
          </div>
        )}

        <Field
          label={t('new.segment')}
          hint={
            <>
              {t('new.segmentHint')} <Link to="/segments">{t('new.segmentElsewhere')}</Link>
            </>
          }
          name="segmentId"
          problem={problem}
          error={ownErrors.segmentId}
        >
          {(control) => (
            <select {...control} value={segmentId} onChange={(event) => setSegmentId(event.target.value)}>
              <option value="">{segments.loading ? t('new.loadingChoices') : t('new.choose')}</option>
              {segments.data?.map((segment) => (
                <option key={segment.id} value={segment.id}>
                  {t('new.segmentOption', { name: segment.name, at: formatDateTime(segment.createdAt) })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <p aria-live="polite">
          {chosenSegment.data?.id === segmentId &&
            t('new.segmentRecipients', { recipients: formatNumber(chosenSegment.data.counts.total, i18n.language) })}
        </p>

        <fieldset className={ownErrors.emergency ? 'field field--error' : 'field'}>
          <legend>{t('new.priority')}</legend>
          <label className="choice">
            <input type="radio" name="priority" value="normal" checked={priority === 'normal'} onChange={choosePriority} />{' '}
            {t('new.priorityNormal')}
          </label>
          <label className="choice">
            <input type="radio" name="priority" value="emergency" checked={priority === 'emergency'} onChange={choosePriority} />{' '}
            {t('new.priorityEmergency')}
          </label>
          {priority === 'emergency' && (
            <div className="notice notice--warning">
              <p>{t('new.emergencyExplained')}</p>
              {ownErrors.emergency && <p className="field__error">{ownErrors.emergency}</p>}
              <label className="choice">
                <input type="checkbox" checked={emergencyUnderstood} onChange={understandEmergency} /> {t('new.emergencyUnderstood')}
              </label>
            </div>
          )}
        </fieldset>

        <fieldset className={problem?.fieldMessage('test') ? 'field field--error' : 'field'}>
          <legend>{t('new.test')}</legend>
          {problem?.fieldMessage('test') && <p className="field__error">{problem.fieldMessage('test')}</p>}
          <label className="choice">
            <input type="checkbox" checked={test} onChange={(event) => setTest(event.target.checked)} /> {t('new.testLabel')}
          </label>
          <p className="field__hint choice__hint">{t('new.testHint')}</p>
        </fieldset>

        <ScheduleBuilder choice={schedule} onChange={setSchedule} timezone={timezone} problem={problem} now={now} />

        <p>{t('new.whatNext')}</p>
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            {t('new.create')}
          </button>
        </div>
      </form>
    </Page>
  );
}

/** Now, moved on every minute, so the fire times shown never start in the past. */
function useMinuteClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
