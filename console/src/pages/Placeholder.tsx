import { useTranslation } from 'react-i18next';
import { Page } from '../ui/Page';

export function Placeholder({ area }: { area: string }) {
  const { t } = useTranslation();
  return (
    <Page title={t(`nav.${area}`)}>
      <p>…</p>
    </Page>
  );
}
