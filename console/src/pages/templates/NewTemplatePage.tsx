import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { type ApiError, asApiError } from '../../api/client';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Field } from '../../ui/Field';
import { Page } from '../../ui/Page';
import { useIdempotencyKey } from './idempotency-key';
import { createTemplate } from './template-api';
import { contentOf, emptyDraft, type Channel } from './template-draft';
import { TemplateEditor } from './TemplateEditor';
import './templates.css';

const CHANNELS: readonly Channel[] = ['sms', 'loudspeaker'];

/** Writes version 1 of a new template, as a draft the author can read again before submitting it. */
export function NewTemplatePage() {
  const { t } = useTranslation('templates');
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [channel, setChannel] = useState<Channel>('sms');
  const [draft, setDraft] = useState(emptyDraft);
  const [problem, setProblem] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const body = { name: name.trim(), channel, ...contentOf(draft, channel) };
  const idempotencyKey = useIdempotencyKey(body);

  const save = async () => {
    setBusy(true);
    try {
      const created = await createTemplate(body, idempotencyKey);
      navigate(`/templates/${encodeURIComponent(created.id)}`, { state: { saved: 1 } });
    } catch (error) {
      setProblem(asApiError(error));
      window.scrollTo(0, 0);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('new.title')}>
      <p>
        <Link to="/templates">{t('backToList')}</Link>
      </p>
      <ErrorSummary error={problem} onRetry={() => void save()} />
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Field label={t('new.name')} hint={t('new.nameHint')} name="name" problem={problem}>
          {(control) => (
            <input {...control} type="text" autoComplete="off" value={name} onChange={(event) => setName(event.target.value)} />
          )}
        </Field>
        <fieldset className="field" data-field="channel">
          <legend>{t('new.channel')}</legend>
          {CHANNELS.map((option) => (
            <label key={option} className="choice">
              <input type="radio" name="channel" value={option} checked={channel === option} onChange={() => setChannel(option)} />{' '}
              {t(`channel.${option}`)}
            </label>
          ))}
        </fieldset>
        <TemplateEditor channel={channel} draft={draft} onChange={setDraft} problem={problem} />
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            {t('new.save')}
          </button>
        </div>
        <p className="next-step">{t('new.whatNext')}</p>
      </form>
    </Page>
  );
}
