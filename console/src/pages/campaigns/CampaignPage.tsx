import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { type ApiError, asApiError } from '../../api/client';
import { useUser } from '../../auth/AuthContext';
import { hasRole } from '../../auth/user';
import { formatDateTime } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Page } from '../../ui/Page';
import { StatusTag } from '../../ui/StatusTag';
import { TestBand } from '../../ui/TestBand';
import { useLoad } from '../../ui/useLoad';
import {
  act,
  FINISHED_STATUSES,
  getCampaign,
  getEstimate,
  getSegment,
  getTemplate,
  LIVE_STATUSES,
  type CampaignDetail,
} from './campaign-api';
import { DecisionSection } from './DecisionSection';
import { EstimateSummary } from './EstimateSummary';
import { FireTimes } from './FireTimes';
import { OperatorActions } from './OperatorActions';
import { ProgressSection } from './ProgressSection';
import './campaigns.css';

const REFRESH_MS = 2_000;

/**
 * One campaign: its state in a band at the top (and the striped CHẠY THỬ band for a test), the text, the
 * schedule, who it reaches; then what the reader can do: submit (author), decide (approver), watch and
 * pause, resume or cancel (operator).
 */
export function CampaignPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('campaigns');
  const user = useUser();
  const location = useLocation();
  /** What the reader just did, said until the campaign moves on from the state it left it in. */
  const [outcome, setOutcome] = useState<{ key: string; status: string } | undefined>(
    (location.state as { created?: boolean } | null)?.created ? { key: 'created', status: 'draft' } : undefined,
  );
  const [changed, setChanged] = useState<CampaignDetail>();
  const [finished, setFinished] = useState(false);
  const loaded = useLoad(() => getCampaign(id), [id], finished ? undefined : REFRESH_MS);
  const campaign = pickNewest(loaded.data, changed);
  const nowFinished = campaign !== undefined && FINISHED_STATUSES.includes(campaign.status);
  useEffect(() => setFinished(nowFinished), [nowFinished]);
  const segment = useLoad(() => (campaign ? getSegment(campaign.segmentId) : Promise.resolve(undefined)), [campaign?.segmentId]);
  const template = useLoad(() => (campaign ? getTemplate(campaign.templateId) : Promise.resolve(undefined)), [campaign?.templateId]);
  const beforeSending =
    campaign && ['draft', 'pending_approval', 'approved', 'scheduled'].includes(campaign.status) && campaign.runCount === 0;
  const estimate = useLoad(() => (beforeSending ? getEstimate(id) : Promise.resolve(undefined)), [id, beforeSending]);

  if (!campaign) {
    return (
      <Page title={t('campaign.loading')}>
        <ErrorSummary error={loaded.error} onRetry={loaded.reload} />
        {!loaded.error && <p>{t('campaign.loading')}</p>}
      </Page>
    );
  }

  const own = campaign.createdBy === user.id;
  const live = LIVE_STATUSES.includes(campaign.status);
  const showProgress = campaign.runCount > 0 || ['sending', 'paused', 'completed'].includes(campaign.status);
  const changedBy = (next: CampaignDetail, what: string) => {
    setChanged(next);
    setOutcome({ key: what, status: next.status });
  };

  return (
    <Page title={campaign.name}>
      {campaign.test && <TestBand />}
      <div className={`campaign-band campaign-band--${campaign.status.replace(/_/g, '-')}`}>
        <span className="campaign-band__label">{t('campaign.state')}</span> <StatusTag status={campaign.status} />
        {campaign.priority === 'emergency' && <span className="tag tag--emergency">{t('priority.emergency')}</span>}
        {campaign.nextFireAt && ['approved', 'scheduled', 'paused'].includes(campaign.status) && (
          <span className="campaign-band__next">{t('campaign.nextFire', { at: formatDateTime(campaign.nextFireAt) })}</span>
        )}
      </div>
      <ErrorSummary error={loaded.error} onRetry={loaded.reload} />
      {outcome?.status === campaign.status && (
        <div className="notice notice--success" role="status">
          <p>
            <strong>{t(`outcome.${outcome.key}.title`)}</strong>
          </p>
          <p>{t(`outcome.${outcome.key}.next`)}</p>
        </div>
      )}
      {hasRole(user, 'operator') && <OperatorActions campaign={campaign} onChanged={(next) => setChanged(next)} />}
      {campaign.status === 'draft' && campaign.rejectionReason && (
        <div className="notice notice--warning">
          <p>
            <strong>{t('campaign.rejected', { by: campaign.decidedBy ?? '' })}</strong>
          </p>
          <p>{campaign.rejectionReason}</p>
        </div>
      )}

      <section aria-labelledby="message-title">
        <h2 id="message-title">{t('campaign.message')}</h2>
        <p className="message-text">{campaign.text}</p>
        <dl className="summary">
          <dt>{t('campaign.parts')}</dt>
          <dd>{t('campaign.partsValue', { parts: campaign.sms.parts, encoding: campaign.sms.encoding })}</dd>
          <dt>{t('campaign.template')}</dt>
          <dd>
            <Link to={`/templates/${encodeURIComponent(campaign.templateId)}`}>
              {t('campaign.templateVersion', { name: template.data?.name ?? campaign.templateId, version: campaign.templateVersion })}
            </Link>
          </dd>
          <dt>{t('campaign.segment')}</dt>
          <dd>{segment.data?.name ?? campaign.segmentId}</dd>
          <dt>{t('campaign.priority')}</dt>
          <dd>{t(`priority.${campaign.priority}`)}</dd>
          <dt>{t('campaign.createdBy')}</dt>
          <dd>{t('campaign.byAt', { by: campaign.createdBy, at: formatDateTime(campaign.createdAt) })}</dd>
          {campaign.decidedBy && campaign.status !== 'draft' && (
            <>
              <dt>{t('campaign.approvedBy')}</dt>
              <dd>{t('campaign.byAt', { by: campaign.decidedBy, at: formatDateTime(campaign.decidedAt) })}</dd>
            </>
          )}
        </dl>
      </section>

      <section aria-labelledby="schedule-title">
        <h2 id="schedule-title">{t('campaign.schedule')}</h2>
        <FireTimes schedule={campaign.schedule} nextFireAt={campaign.nextFireAt} />
      </section>

      {beforeSending && (
        <section aria-labelledby="estimate-title">
          <h2 id="estimate-title">{t('estimate.title')}</h2>
          <ErrorSummary error={estimate.error} onRetry={estimate.reload} />
          {estimate.data ? <EstimateSummary estimate={estimate.data} /> : !estimate.error && <p>{t('campaign.loading')}</p>}
        </section>
      )}

      {campaign.status === 'draft' && own && hasRole(user, 'author') && (
        <SubmitForApproval campaign={campaign} onSubmitted={(next) => changedBy(next, 'submitted')} />
      )}
      {campaign.status === 'pending_approval' && hasRole(user, 'approver') && !own && (
        <DecisionSection
          campaign={campaign}
          estimate={estimate.data}
          onDecided={(next, decision) => changedBy(next, decision === 'approved' && !next.schedule ? 'approvedNow' : decision)}
        />
      )}
      {campaign.status === 'pending_approval' && hasRole(user, 'approver') && own && <p className="notice">{t('decide.notOwn')}</p>}

      {showProgress && <ProgressSection campaignId={campaign.id} live={live} />}
      {hasRole(user, 'operator', 'viewer') && showProgress && (
        <p>
          <Link to={`/campaigns/${encodeURIComponent(campaign.id)}/receipts`}>{t('receipts.link')}</Link>
        </p>
      )}
    </Page>
  );
}

/** What an action returned wins over an older refresh, until a refresh newer than it arrives. */
function pickNewest(loaded: CampaignDetail | undefined, changed: CampaignDetail | undefined): CampaignDetail | undefined {
  if (!loaded) return changed;
  if (!changed) return loaded;
  return changed.revision > loaded.revision ? changed : loaded;
}

function SubmitForApproval({ campaign, onSubmitted }: { campaign: CampaignDetail; onSubmitted(campaign: CampaignDetail): void }) {
  const { t } = useTranslation('campaigns');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiError>();
  async function submit() {
    setBusy(true);
    setProblem(undefined);
    try {
      onSubmitted(await act(campaign.id, 'submit'));
    } catch (error) {
      setProblem(asApiError(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="submit-for-approval" aria-labelledby="submit-title">
      <h2 id="submit-title">{t('submit.title')}</h2>
      <ErrorSummary error={problem} />
      <p>{t('submit.explained')}</p>
      <button type="button" className="button" disabled={busy} onClick={() => void submit()}>
        {t('submit.button')}
      </button>
    </section>
  );
}
