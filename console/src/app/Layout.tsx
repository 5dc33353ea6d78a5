import { NavLink, Outlet } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth, useUser } from '../auth/AuthContext';
import { hasRole } from '../auth/user';
import { LANGUAGES, switchLanguage, type Language } from '../i18n';
import { NAVIGATION } from './navigation';

export function Layout() {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const { signOut } = useAuth();
  const items = NAVIGATION.filter((item) => hasRole(user, ...item.roles));
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand">Loa</span>
        <span className="topbar__user">
          {user.name} <span className="topbar__roles">({user.roles.map((role) => t(`roles.${role}`)).join(', ')})</span>
        </span>
        <label className="language">
          <span className="visually-hidden">{t('language')}</span>
          <select value={i18n.language} onChange={(event) => void switchLanguage(event.target.value as Language)}>
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`languages.${language}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button--secondary" onClick={() => void signOut()}>
          {t('actions.signOut')}
        </button>
      </header>
      <nav className="rail" aria-label={t('navLabel')}>
        <ul>
          {items.map((item) => (
            <li key={item.path} className={item.primary ? 'rail__item rail__item--primary' : 'rail__item'}>
              <NavLink to={item.path} end={item.path === '/'}>
                {t(`nav.${item.key}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
