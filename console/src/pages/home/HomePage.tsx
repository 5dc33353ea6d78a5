import { useTranslation } from 'react-i18next';
import { useUser } from '../../auth/AuthContext';
import { Page } from '../../ui/Page';
import { ApprovalsSection } from './ApprovalsSection';
import { AuthoringSection } from './AuthoringSection';
import { GatewaysSection } from './GatewaysSection';
import { sectionsFor } from './home-sections';
import { SendingSection } from './SendingSection';
import './home.css';

/** Việc cần làm: what needs this person now, a section for each of their roles. */
export function HomePage() {
  const { t } = useTranslation('home');
  const user = useUser();
  const sections = sectionsFor(user);
  return (
    <Page title={t('title')}>
      <p>{t('greeting', { name: user.name })}</p>
      {sections.length === 0 && <p>{t('nothingForYou')}</p>}
      {sections.includes('approvals') && <ApprovalsSection />}
      {sections.includes('authoring') && <AuthoringSection />}
      {sections.includes('sending') && <SendingSection />}
      {sections.includes('gateways') && <GatewaysSection />}
    </Page>
  );
}
