import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { useLoad } from '../../ui/useLoad';
import { gatewayCondition } from '../gateways/gateway-view';
import { gateways } from './home-api';

const REFRESH_MS = 5_000;
const SYMBOL = { healthy: '✓', probing: '↻', tripped: '✕' } as const;

/** For operators: each gateway's state at a glance, with a word as well as a colour; the board has the rest. */
export function GatewaysSection() {
  const { t } = useTranslation('home');
  const health = useLoad(gateways, [], REFRESH_MS);
  return (
    <section className="home-section" aria-labelledby="gateways-title">
      <h2 id="gateways-title">{t('gateways.title')}</h2>
      <ErrorSummary error={health.error} onRetry={health.reload} />
      {!health.data && !health.error && <p>{t('common:loading')}</p>}
      {health.data && health.data.length === 0 && <p>{t('gateways.none')}</p>}
      {health.data && health.data.length > 0 && (
        <ul className="gateway-health">
          {health.data.map((gateway) => {
            const condition = gatewayCondition(gateway.state) ?? 'unknown';
            return (
              <li key={gateway.id} className={`gateway-health__item gateway-health__item--${condition}`}>
                <strong>{gateway.id}</strong>{' '}
                <span>
                  <span aria-hidden="true">{condition === 'unknown' ? '?' : SYMBOL[condition]}</span> {t(`gateways:state.${condition}`)}
                </span>{' '}
                <span className="work__detail">{t('gateways.since', { at: formatDateTime(gateway.since) })}</span>
              </li>
            );
          })}
        </ul>
      )}
      <p>
        <Link to="/gateways">{t('gateways.board')}</Link>
      </p>
    </section>
  );
}
