import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiError, asApiError, call } from '../../api/client';
import type { paths } from '../../api/schema';
import { formatDateTime } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Field } from '../../ui/Field';
import { type Erasure, SubscriberRights } from './SubscriberRights';

type Subscriber = paths['/v1/subscribers/lookup']['post']['responses'][200]['content']['application/json'];

type LookupState =
  | { kind: 'idle' }
  | { kind: 'looking' }
  | { kind: 'found'; subscriber: Subscriber }
  | { kind: 'not-found'; phone: string }
  | { kind: 'erased'; phone: string; erasure: Erasure }
  | { kind: 'failed'; error: ApiError };

export function LookupSection({
  areaName,
  onRecordOptOut,
  onErased,
}: {
  areaName(code: string): string;
  onRecordOptOut(phone: string): void;
  onErased(): void;
}) {
  const { t } = useTranslation('subscribers');
  const [phone, setPhone] = useState('');
  const [missing, setMissing] = useState(false);
  const [state, setState] = useState<LookupState>({ kind: 'idle' });

  const lookUp = async () => {
    const wanted = phone.trim();
    setMissing(wanted === '');
    if (wanted === '') return;
    setState({ kind: 'looking' });
    try {
      const subscriber = await call(api.POST('/v1/subscribers/lookup', { body: { phone: wanted } }));
      setState({ kind: 'found', subscriber });
    } catch (caught) {
      const error = asApiError(caught);
      setState(error.status === 404 ? { kind: 'not-found', phone: wanted } : { kind: 'failed', error });
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void lookUp();
  };

  return (
    <section aria-labelledby="lookup-heading" className="subscribers__section">
      <h2 id="lookup-heading">{t('lookup.heading')}</h2>
      {state.kind === 'failed' && <ErrorSummary error={state.error} onRetry={() => void lookUp()} />}
      <search aria-labelledby="lookup-heading">
        <form noValidate onSubmit={submit}>
          <Field label={t('lookup.phoneLabel')} hint={t('lookup.phoneHint')} error={missing ? t('lookup.noPhone') : undefined}>
            {(control) => (
              <input {...control} type="tel" autoComplete="off" value={phone} onChange={(event) => setPhone(event.target.value)} />
            )}
          </Field>
          <button type="submit" className="button" disabled={state.kind === 'looking'}>
            {t('lookup.submit')}
          </button>
        </form>
      </search>
      <div aria-live="polite">
        {state.kind === 'not-found' && <p className="notice">{t('lookup.notFound', { phone: state.phone })}</p>}
        {state.kind === 'erased' && (
          <p className="notice notice--success">
            {t(state.erasure.optOutKept ? 'rights.erasedOptedOut' : 'rights.erased', {
              phone: state.phone,
              receipts: state.erasure.receiptsPseudonymized,
            })}
          </p>
        )}
        {state.kind === 'found' && (
          <>
            <SubscriberSummary subscriber={state.subscriber} areaName={areaName} onRecordOptOut={onRecordOptOut} />
            <SubscriberRights
              phone={state.subscriber.phone}
              onErased={(erasure) => {
                setPhone('');
                setState({ kind: 'erased', phone: state.subscriber.phone, erasure });
                onErased();
              }}
            />
          </>
        )}
      </div>
    </section>
  );
}

/** Where the record came from: the file and when, or the integration client; the import id ties it to the audit. */
function SubscriberSourceText({ subscriber }: { subscriber: Subscriber }) {
  const { t } = useTranslation('subscribers');
  const { source, sourcedAt } = subscriber;
  if (!source || !sourcedAt) return <>{t('lookup.sourceUnknown')}</>;
  const at = formatDateTime(sourcedAt);
  const said =
    source.kind === 'integration'
      ? t('lookup.sourceIntegration', { client: source.clientId, at })
      : source.fileName
        ? t('lookup.sourceImport', { file: source.fileName, at })
        : t('lookup.sourceImportUnnamed', { at });
  return (
    <>
      {said} <span className="muted">({t('lookup.importId', { id: source.importId })})</span>
    </>
  );
}

function SubscriberSummary({
  subscriber,
  areaName,
  onRecordOptOut,
}: {
  subscriber: Subscriber;
  areaName(code: string): string;
  onRecordOptOut(phone: string): void;
}) {
  const { t } = useTranslation('subscribers');
  return (
    <div className="lookup__result">
      <h3>{subscriber.phone}</h3>
      <dl className="summary">
        <dt>{t('lookup.status')}</dt>
        <dd>
          {subscriber.optedOut ? (
            <span className="tag tag--rejected">{t('lookup.optedOut')}</span>
          ) : (
            <span className="tag tag--active">{t('lookup.receiving')}</span>
          )}
        </dd>
        <dt>{t('lookup.area')}</dt>
        <dd>
          {areaName(subscriber.areaCode)} <span className="muted">({subscriber.areaCode})</span>
        </dd>
        <dt>{t('lookup.tags')}</dt>
        <dd>{subscriber.tags.length > 0 ? subscriber.tags.join(', ') : t('lookup.noTags')}</dd>
        <dt>{t('lookup.carrier')}</dt>
        <dd>
          {subscriber.carrier ? t(`segments:carriers.${subscriber.carrier}`) : t('segments:carriers.unknown')}{' '}
          {subscriber.carrierSource !== 'unknown' && <span className="muted">{t(`lookup.carrierSource.${subscriber.carrierSource}`)}</span>}
        </dd>
        <dt>{t('lookup.source')}</dt>
        <dd>
          <SubscriberSourceText subscriber={subscriber} />
        </dd>
      </dl>
      {!subscriber.optedOut && (
        <button type="button" className="button button--secondary" onClick={() => onRecordOptOut(subscriber.phone)}>
          {t('lookup.recordOptOut')}
        </button>
      )}
    </div>
  );
}
