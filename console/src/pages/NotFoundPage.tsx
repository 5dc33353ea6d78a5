import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Page } from '../ui/Page';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.text')}</p>
      <Link to="/">{t('notFound.home')}</Link>
    </Page>
  );
}
