import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AuthProvider, useAuth } from '../auth/AuthContext';
import { hasRole } from '../auth/user';
import type { ConsoleConfig } from '../config';
import { SignInPage } from '../pages/sign-in/SignInPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { AREA_ROUTES } from './areas';
import { Layout } from './Layout';

export function App({ config }: { config: ConsoleConfig }) {
  return (
    <AuthProvider config={config}>
      <BrowserRouter>
        <Gate />
      </BrowserRouter>
    </AuthProvider>
  );
}

function Gate() {
  const { t } = useTranslation();
  const { user, config } = useAuth();
  if (user === undefined) return <p className="loading">{t('loading')}</p>;
  if (user === null) return config.auth.kind === 'session' ? <SignInPage /> : <p className="loading">{t('redirecting')}</p>;
  const onlyCrew = user.roles.every((role) => role === 'crew');
  return (
    <Routes>
      <Route element={<Layout />}>
        {onlyCrew && <Route index element={<Navigate to="/today" replace />} />}
        {AREA_ROUTES.filter((route) => !route.roles || hasRole(user, ...route.roles)).map((route) => (
          <Route key={route.path} path={route.path} element={route.element} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
