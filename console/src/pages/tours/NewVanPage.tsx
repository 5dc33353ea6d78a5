import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, type ApiError, asApiError, call } from '../../api/client';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Field } from '../../ui/Field';
import { Page } from '../../ui/Page';
import { useLoad } from '../../ui/useLoad';
import { CommuneField } from './CommuneField';
import { allAreas } from './tours-api';

/** Operators register a van or motorbike with its crew lead, who gets each tour's route by SMS. */
export function NewVanPage() {
  const { t } = useTranslation('tours');
  const navigate = useNavigate();
  const areas = useLoad(allAreas, []);
  const [plate, setPlate] = useState('');
  const [kind, setKind] = useState<'van' | 'motorbike'>('van');
  const [crewName, setCrewName] = useState('');
  const [crewPhone, setCrewPhone] = useState('');
  const [homeCommune, setHomeCommune] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await call(api.POST('/v1/vans', { body: { plate, kind, crewLead: { name: crewName, phone: crewPhone }, homeCommune } }));
      navigate('/vans');
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('registerVan')}>
      <ErrorSummary error={error ?? areas.error} onRetry={areas.error ? areas.reload : undefined} />
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field label={t('plate')} hint={t('plateHint')} name="plate" problem={error}>
          {(control) => <input {...control} value={plate} onChange={(event) => setPlate(event.target.value)} />}
        </Field>
        <fieldset className="field">
          <legend>{t('kind')}</legend>
          {(['van', 'motorbike'] as const).map((value) => (
            <label key={value} className="choice">
              <input type="radio" name="kind" value={value} checked={kind === value} onChange={() => setKind(value)} />{' '}
              {t(`kinds.${value}`)}
            </label>
          ))}
        </fieldset>
        <Field label={t('crewLeadName')} name="crewLead.name" problem={error}>
          {(control) => <input {...control} value={crewName} onChange={(event) => setCrewName(event.target.value)} />}
        </Field>
        <Field label={t('crewLeadPhone')} hint={t('crewLeadPhoneHint')} name="crewLead.phone" problem={error}>
          {(control) => <input {...control} inputMode="tel" value={crewPhone} onChange={(event) => setCrewPhone(event.target.value)} />}
        </Field>
        <CommuneField
          label={t('homeCommune')}
          areas={areas.data ?? []}
          value={homeCommune}
          onChange={setHomeCommune}
          name="homeCommune"
          problem={error}
        />
        <button type="submit" className="button" disabled={busy}>
          {t('registerVan')}
        </button>
      </form>
    </Page>
  );
}
