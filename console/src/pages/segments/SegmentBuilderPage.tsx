import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { CARRIERS, type Carrier } from '../../../../lambdas/core/subscribers/carriers';
import { api, type ApiError, asApiError, call } from '../../api/client';
import { formatNumber } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Field } from '../../ui/Field';
import { Page } from '../../ui/Page';
import { useLoad } from '../../ui/useLoad';
import { buildAreaTree } from '../subscribers/area-tree';
import { loadAllAreas } from '../subscribers/load-areas';
import { parentIndex, parseTags } from './area-selection';
import { AreaPicker } from './AreaPicker';
import { EVERYONE, previewSegment, type SegmentFilter } from './segment-preview';
import { SegmentCountsView } from './SegmentCountsView';
import { useSegmentPreview } from './useSegmentPreview';
import './segments.css';

async function loadTree() {
  const [areas, everyone] = await Promise.all([loadAllAreas(), previewSegment(EVERYONE).catch(() => undefined)]);
  return { areas, everyone };
}

export function SegmentBuilderPage() {
  const { t, i18n } = useTranslation('segments');
  const navigate = useNavigate();
  const tree = useLoad(loadTree, []);
  const [name, setName] = useState('');
  const [areas, setAreas] = useState<string[]>([]);
  const [tagsTyped, setTagsTyped] = useState('');
  const [carriers, setCarriers] = useState<Carrier[]>([]);
  const [error, setError] = useState<ApiError>();
  const [missingName, setMissingName] = useState(false);
  const [saving, setSaving] = useState(false);
  // One key for this segment however many times saving is retried: a lost answer never makes two.
  const [idempotencyKey] = useState(() => crypto.randomUUID());

  const filter: SegmentFilter = { areas, tags: parseTags(tagsTyped), carriers };
  // A province has thousands of areas: the tree is built once, not at every key pressed in the name.
  const picker = useMemo(
    () => tree.data && { roots: buildAreaTree(tree.data.areas, tree.data.everyone?.byArea ?? {}), parentOf: parentIndex(tree.data.areas) },
    [tree.data],
  );
  const preview = useSegmentPreview(filter);

  const save = async () => {
    setMissingName(name.trim() === '');
    if (name.trim() === '') return;
    setSaving(true);
    setError(undefined);
    try {
      const segment = await call(
        api.POST('/v1/segments', { body: { name: name.trim(), filter }, params: { header: { 'Idempotency-Key': idempotencyKey } } }),
      );
      await navigate(`/segments/${segment.id}`, { state: { created: true } });
    } catch (caught) {
      setError(asApiError(caught));
      setSaving(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save();
  };
  const areaProblem = error?.errors.find((fieldError) => fieldError.field.startsWith('filter.areas'))?.message;
  const toggleCarrier = (carrier: Carrier) =>
    setCarriers((previous) => (previous.includes(carrier) ? previous.filter((other) => other !== carrier) : [...previous, carrier]));

  return (
    <Page title={t('builder.title')}>
      <ErrorSummary error={error ?? tree.error} onRetry={error ? () => void save() : tree.reload} />
      <div className="segment-builder">
        {/* On a phone the counts are below the whole form: this line keeps the total in sight while ticking. */}
        {preview.counts && (
          <p className="segment-builder__phone-total" aria-hidden="true">
            {t('builder.liveTotal', { formatted: formatNumber(preview.counts.total, i18n.language) })}
            {preview.stale && ' …'}
          </p>
        )}
        <form noValidate onSubmit={submit} className="segment-builder__form">
          <Field
            label={t('builder.name')}
            hint={t('builder.nameHint')}
            name="name"
            problem={error}
            error={missingName ? t('builder.noName') : undefined}
          >
            {(control) => <input {...control} type="text" maxLength={200} value={name} onChange={(event) => setName(event.target.value)} />}
          </Field>

          <fieldset className={areaProblem ? 'field field--error' : 'field'} aria-describedby="areas-hint">
            <legend>{t('builder.areas')}</legend>
            <p className="field__hint" id="areas-hint">
              {t('builder.areasHint')}
            </p>
            {areaProblem && <p className="field__error">{areaProblem}</p>}
            {tree.data && picker ? (
              <AreaPicker
                roots={picker.roots}
                parentOf={picker.parentOf}
                picked={areas}
                onChange={setAreas}
                counted={tree.data.everyone !== undefined}
              />
            ) : (
              <p>{t('common:loading')}</p>
            )}
          </fieldset>

          <Field label={t('builder.tags')} hint={t('builder.tagsHint')} name="filter.tags" problem={error}>
            {(control) => <input {...control} type="text" value={tagsTyped} onChange={(event) => setTagsTyped(event.target.value)} />}
          </Field>

          <fieldset className="field">
            <legend>{t('builder.carriers')}</legend>
            <p className="field__hint">{t('builder.carriersHint')}</p>
            <div className="segment-builder__carriers">
              {CARRIERS.map((carrier) => (
                <div className="segment-choice" key={carrier}>
                  <input
                    type="checkbox"
                    id={`carrier-${carrier}`}
                    checked={carriers.includes(carrier)}
                    onChange={() => toggleCarrier(carrier)}
                  />
                  <label htmlFor={`carrier-${carrier}`}>{t(`carriers.${carrier}`)}</label>
                </div>
              ))}
            </div>
          </fieldset>

          <button type="submit" className="button" disabled={saving}>
            {t('builder.save')}
          </button>
        </form>

        <section className="segment-builder__counts" aria-labelledby="live-counts-heading" aria-busy={preview.stale}>
          <h2 id="live-counts-heading">{t('builder.countsHeading')}</h2>
          <p className="field__hint">{preview.stale ? t('builder.counting') : t('builder.countsHint')}</p>
          <p className="visually-hidden" aria-live="polite">
            {preview.counts && !preview.stale
              ? t('builder.liveTotal', { formatted: formatNumber(preview.counts.total, i18n.language) })
              : ''}
          </p>
          {preview.error && <ErrorSummary error={preview.error} />}
          {preview.counts && tree.data && <SegmentCountsView counts={preview.counts} areas={tree.data.areas} />}
        </section>
      </div>
    </Page>
  );
}
