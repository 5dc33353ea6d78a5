import { useTranslation } from 'react-i18next';

/** The striped band of a test campaign, on every page that shows one: it must never pass for a live one. */
export function TestBand() {
  const { t } = useTranslation();
  return (
    <div className="test-band" role="note">
      <strong>{t('testBand.title')}</strong> {t('testBand.text')}
    </div>
  );
}
