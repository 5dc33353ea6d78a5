import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, asApiError } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { LANGUAGES, switchLanguage, type Language } from '../../i18n';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Field } from '../../ui/Field';

/** Embedded runtime only: on AWS, Cognito's managed login takes this place. */
export function SignInPage() {
  const { t, i18n } = useTranslation('auth');
  const { signIn } = useAuth();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [needsNewPassword, setNeedsNewPassword] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await signIn(user, password, needsNewPassword ? newPassword : undefined);
    } catch (caught) {
      const failure = asApiError(caught);
      if (failure.type.endsWith('password-change-required')) {
        setNeedsNewPassword(true);
        setError(undefined);
      } else setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="sign-in">
      <div className="sign-in__panel">
        <p className="brand">Loa</p>
        <h1>{t('title')}</h1>
        <p>{t('intro')}</p>
        <ErrorSummary error={error} />
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Field label={t('user')} name="user" problem={error}>
            {(control) => (
              <input {...control} autoComplete="username" value={user} required onChange={(event) => setUser(event.target.value)} />
            )}
          </Field>
          <Field label={t('password')} name="password" problem={error}>
            {(control) => (
              <input
                {...control}
                type="password"
                autoComplete="current-password"
                value={password}
                required
                onChange={(event) => setPassword(event.target.value)}
              />
            )}
          </Field>
          {needsNewPassword && (
            <Field label={t('newPassword')} hint={t('newPasswordHint')} name="newPassword" problem={error}>
              {(control) => (
                <input
                  {...control}
                  type="password"
                  autoComplete="new-password"
                  value={newPassword}
                  minLength={12}
                  required
                  onChange={(event) => setNewPassword(event.target.value)}
                />
              )}
            </Field>
          )}
          <button type="submit" className="button" disabled={busy}>
            {t('submit')}
          </button>
        </form>
        <label className="language">
          {t('common:language')}{' '}
          <select value={i18n.language} onChange={(event) => void switchLanguage(event.target.value as Language)}>
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`common:languages.${language}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
    </main>
  );
}
