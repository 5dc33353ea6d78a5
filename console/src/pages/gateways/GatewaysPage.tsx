import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client';
import type { paths } from '../../api/schema';
import { formatDateTime, formatNumber } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Page } from '../../ui/Page';
import { useLoad } from '../../ui/useLoad';
import { detailRows, formatRate, gatewayCondition } from './gateway-view';
import './gateways.css';

type Gateway = paths['/v1/gateways']['get']['responses'][200]['content']['application/json']['items'][number];

/** Often enough to see a gateway trip while a campaign sends, light enough for a board left open all day. */
export const GATEWAY_REFRESH_MS = 5_000;

const SYMBOL = { healthy: '✓', probing: '↻', tripped: '✕' } as const;

export function GatewaysPage() {
  const { t } = useTranslation('gateways');
  const board = useLoad(() => call(api.GET('/v1/gateways')), [], GATEWAY_REFRESH_MS);
  const gateways = board.data?.items;
  return (
    <Page title={t('title')}>
      <p>{t('intro', { seconds: GATEWAY_REFRESH_MS / 1000 })}</p>
      <ErrorSummary error={board.error} onRetry={board.reload} />
      {gateways === undefined ? (
        !board.error && <p>{t('common:loading')}</p>
      ) : gateways.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <div className="gateway-board">
          {gateways.map((gateway) => (
            <GatewayCard key={gateway.id} gateway={gateway} />
          ))}
        </div>
      )}
    </Page>
  );
}

function GatewayCard({ gateway }: { gateway: Gateway }) {
  const { t, i18n } = useTranslation('gateways');
  const number = (value: number) => formatNumber(value, i18n.language);
  const condition = gatewayCondition(gateway.state);
  const headingId = `gateway-${gateway.id}`;
  return (
    <article className={`gateway gateway--${condition ?? 'unknown'}`} aria-labelledby={headingId}>
      <h2 id={headingId}>{gateway.id}</h2>
      <p className="gateway__state">
        <span className={`gateway__tag gateway__tag--${condition ?? 'unknown'}`}>
          <span aria-hidden="true">{condition ? SYMBOL[condition] : '?'}</span> {t(`state.${condition ?? 'unknown'}`)}
        </span>{' '}
        <span>{t('since', { at: formatDateTime(gateway.since) })}</span>
      </p>
      <p className="gateway__explain">{t(`explain.${condition ?? 'unknown'}`, { state: gateway.state })}</p>
      <dl className="summary">
        <dt>{t('sending')}</dt>
        <dd>{t('perSecond', { value: number(gateway.submitsPerSecond) })}</dd>
        <dt>{t('configured')}</dt>
        <dd>
          {gateway.messagesPerSecond === undefined || gateway.messagesPerSecond === null
            ? t('unlimited')
            : t('perSecond', { value: number(gateway.messagesPerSecond) })}
        </dd>
        <dt>{t('errorRate')}</dt>
        <dd>{formatRate(gateway.errorRate, i18n.language)}</dd>
        <dt>{t('failovers')}</dt>
        <dd>{number(gateway.failovers)}</dd>
        <dt>{t('stateChanges')}</dt>
        <dd>{number(gateway.stateChanges)}</dd>
      </dl>
      {detailRows(gateway.details).length > 0 && (
        <details className="gateway__details">
          <summary>{t('details')}</summary>
          <dl className="summary">
            {detailRows(gateway.details).map(({ key, value }) => (
              <div key={key} className="gateway__detail">
                <dt>{t(`detail.${key}`, { defaultValue: key })}</dt>
                <dd>{typeof value === 'number' ? number(value) : t(`detailValue.${value}`, { defaultValue: value })}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </article>
  );
}
