import { useState, type FormEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiError, asApiError, call } from '../../api/client';
import { formatDateTime } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Field } from '../../ui/Field';

/** Where opt-out requests reach the department; anything else is written in "other". */
export const OPT_OUT_SOURCES = ['hotline-1022', 'sms-keyword', 'in-person'] as const;
const OTHER = 'other';

type Recorded = { phone: string; source: string; at: string; created: boolean };

export function OptOutSection({
  phone,
  onPhoneChange,
  phoneInput,
  onRecorded,
}: {
  phone: string;
  onPhoneChange(phone: string): void;
  phoneInput: RefObject<HTMLInputElement | null>;
  /** After a new opt-out: the number no longer counts among those reached. */
  onRecorded(): void;
}) {
  const { t } = useTranslation('subscribers');
  const [source, setSource] = useState<string>(OPT_OUT_SOURCES[0]);
  const [otherSource, setOtherSource] = useState('');
  const [error, setError] = useState<ApiError>();
  const [missing, setMissing] = useState<{ phone?: boolean; other?: boolean }>({});
  const [busy, setBusy] = useState(false);
  const [recorded, setRecorded] = useState<Recorded>();
  const sourceWords = (value: string) => ((OPT_OUT_SOURCES as readonly string[]).includes(value) ? t(`optOut.sources.${value}`) : value);

  const record = async () => {
    const sourceSaid = source === OTHER ? otherSource.trim() : source;
    const missed = { phone: phone.trim() === '', other: sourceSaid === '' };
    setMissing(missed);
    if (missed.phone || missed.other) return;
    setBusy(true);
    setError(undefined);
    setRecorded(undefined);
    try {
      const pending = api.POST('/v1/opt-outs', { body: { phone: phone.trim(), source: sourceSaid } });
      const optOut = await call(pending);
      const { response } = await pending;
      setRecorded({ phone: optOut.phone, source: optOut.source, at: optOut.at, created: response.status === 201 });
      onPhoneChange('');
      if (response.status === 201) onRecorded();
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void record();
  };

  return (
    <section aria-labelledby="opt-out-heading" className="subscribers__section">
      <h2 id="opt-out-heading">{t('optOut.heading')}</h2>
      <p>{t('optOut.intro')}</p>
      <ErrorSummary error={error} onRetry={() => void record()} />
      {recorded && (
        <div className="notice notice--success" role="status">
          {recorded.created ? (
            <>
              <p>
                <strong>{t('optOut.recorded', { phone: recorded.phone })}</strong>
              </p>
              <p>{t('optOut.next')}</p>
            </>
          ) : (
            <p>{t('optOut.already', { phone: recorded.phone, at: formatDateTime(recorded.at), source: sourceWords(recorded.source) })}</p>
          )}
        </div>
      )}
      <form noValidate onSubmit={submit}>
        <Field
          label={t('optOut.phoneLabel')}
          hint={t('lookup.phoneHint')}
          name="phone"
          problem={error}
          error={missing.phone ? t('lookup.noPhone') : undefined}
        >
          {(control) => (
            <input
              {...control}
              ref={phoneInput}
              type="tel"
              autoComplete="off"
              value={phone}
              onChange={(event) => onPhoneChange(event.target.value)}
            />
          )}
        </Field>
        <fieldset className={error?.fieldMessage('source') ? 'field field--error' : 'field'}>
          <legend>{t('optOut.sourceLegend')}</legend>
          {error?.fieldMessage('source') && <p className="field__error">{error.fieldMessage('source')}</p>}
          {[...OPT_OUT_SOURCES, OTHER].map((value) => (
            <div className="choice" key={value}>
              <input
                type="radio"
                id={`opt-out-source-${value}`}
                name="opt-out-source"
                value={value}
                checked={source === value}
                onChange={() => setSource(value)}
              />
              <label htmlFor={`opt-out-source-${value}`}>{t(`optOut.sources.${value}`)}</label>
            </div>
          ))}
        </fieldset>
        {source === OTHER && (
          <Field label={t('optOut.otherLabel')} hint={t('optOut.otherHint')} error={missing.other ? t('optOut.noOther') : undefined}>
            {(control) => (
              <input
                {...control}
                type="text"
                maxLength={100}
                value={otherSource}
                onChange={(event) => setOtherSource(event.target.value)}
              />
            )}
          </Field>
        )}
        <button type="submit" className="button" disabled={busy}>
          {t('optOut.submit')}
        </button>
      </form>
    </section>
  );
}
