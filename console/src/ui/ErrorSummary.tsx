import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client';

/**
 * An API error said at the top of the page: a lost connection or a server fault plainly, with a retry;
 * a refusal with the API's own words and each field it names.
 */
export function ErrorSummary({ error, onRetry }: { error: ApiError | undefined; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (error.unreachable) {
    return (
      <div className="error-summary" role="alert">
        <h2>{t('errors.unreachableTitle')}</h2>
        <p>{error.status === 0 ? t('errors.unreachable') : t('errors.serverFault')}</p>
        {onRetry && (
          <button type="button" className="button button--secondary" onClick={onRetry}>
            {t('actions.retry')}
          </button>
        )}
      </div>
    );
  }
  return (
    <div className="error-summary" role="alert">
      <h2>{t('errors.refusedTitle')}</h2>
      <p>{error.detail}</p>
      {error.errors.length > 0 && (
        <ul>
          {error.errors.map(({ field, message }) => (
            <li key={field + message}>
              <strong>{field}</strong>: {message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
