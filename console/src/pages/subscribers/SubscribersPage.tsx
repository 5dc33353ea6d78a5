import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Page } from '../../ui/Page';
import { useLoad } from '../../ui/useLoad';
import { AreaCountsSection } from './AreaCountsSection';
import { ImportSection } from './ImportSection';
import { loadAllAreas } from './load-areas';
import { LookupSection } from './LookupSection';
import { OptOutSection } from './OptOutSection';
import './subscribers.css';

export function SubscribersPage() {
  const { t } = useTranslation('subscribers');
  const areas = useLoad(loadAllAreas, []);
  const [optOutPhone, setOptOutPhone] = useState('');
  const [changes, setChanges] = useState(0);
  const countAgain = () => setChanges((previous) => previous + 1);
  const optOutInput = useRef<HTMLInputElement>(null);
  const names = new Map((areas.data ?? []).map((area) => [area.code, area.name]));

  const recordOptOutFor = (phone: string) => {
    setOptOutPhone(phone);
    optOutInput.current?.scrollIntoView({ block: 'center' });
    optOutInput.current?.focus();
  };

  return (
    <Page title={t('title')}>
      <div className="subscribers">
        <p className="lead">{t('intro')}</p>
        <ImportSection onImported={countAgain} />
        <LookupSection areaName={(code) => names.get(code) ?? code} onRecordOptOut={recordOptOutFor} onErased={countAgain} />
        <OptOutSection phone={optOutPhone} onPhoneChange={setOptOutPhone} phoneInput={optOutInput} onRecorded={countAgain} />
        <ErrorSummary error={areas.error} onRetry={areas.reload} />
        {areas.data && <AreaCountsSection areas={areas.data} countedAfter={changes} />}
      </div>
    </Page>
  );
}
