import { useState, type DragEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { IMPORT_LIMITS } from '../../../../lambdas/core/subscribers/import-limits';
import { type ApiError, asApiError } from '../../api/client';
import { formatNumber } from '../../format';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Field } from '../../ui/Field';
import { TableHead } from '../../ui/TableHead';
import { downloadCsv } from '../../download-csv';
import { refusedRowsToCsv } from './refused-csv';
import { uploadSubscriberCsv, type ImportReport, type UploadProgress } from './upload-csv';

/** A file with a hundred thousand bad rows must not freeze the page: the table shows the first ones, the download all. */
const REFUSED_SHOWN = 500;

type ImportState =
  | { kind: 'idle' }
  | { kind: 'uploading'; progress: UploadProgress }
  | { kind: 'done'; fileName: string; report: ImportReport }
  | { kind: 'failed'; error: ApiError };

/** `onImported` runs after each finished import, so what counts subscribers can count again. */
export function ImportSection({ onImported }: { onImported(): void }) {
  const { t, i18n } = useTranslation('subscribers');
  const [file, setFile] = useState<File>();
  const [fileProblem, setFileProblem] = useState<'missing' | 'too-large'>();
  const [state, setState] = useState<ImportState>({ kind: 'idle' });
  const number = (value: number) => formatNumber(value, i18n.language);

  const upload = async () => {
    if (!file) {
      setFileProblem('missing');
      return;
    }
    // The server would refuse it too, but only after the browser had started sending it.
    if (file.size > IMPORT_LIMITS.bytes) {
      setFileProblem('too-large');
      return;
    }
    setFileProblem(undefined);
    setState({ kind: 'uploading', progress: { percent: 0, sent: false } });
    try {
      const report = await uploadSubscriberCsv(file, file.name, (progress) => setState({ kind: 'uploading', progress }));
      setState({ kind: 'done', fileName: file.name, report });
      onImported();
    } catch (caught) {
      setState({ kind: 'failed', error: asApiError(caught) });
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void upload();
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    const dropped = event.dataTransfer.files[0];
    if (dropped) {
      setFile(dropped);
      setFileProblem(undefined);
    }
  };
  const busy = state.kind === 'uploading';

  return (
    <section aria-labelledby="import-heading" className="subscribers__section">
      <h2 id="import-heading">{t('import.heading')}</h2>
      {state.kind === 'failed' && <ErrorSummary error={state.error} onRetry={() => void upload()} />}
      <form noValidate onSubmit={submit} onDragOver={(event) => event.preventDefault()} onDrop={drop} className="import__drop">
        <Field
          label={t('import.fileLabel')}
          hint={t('import.fileHint')}
          name="header"
          problem={state.kind === 'failed' ? state.error : undefined}
          error={
            fileProblem === 'missing'
              ? t('import.noFile')
              : fileProblem === 'too-large'
                ? t('import.tooLarge', { megabytes: number(IMPORT_LIMITS.bytes / (1024 * 1024)) })
                : undefined
          }
        >
          {(control) => (
            <input
              {...control}
              type="file"
              accept=".csv,text/csv"
              disabled={busy}
              onChange={(event) => {
                setFile(event.target.files?.[0]);
                setFileProblem(undefined);
              }}
            />
          )}
        </Field>
        <p className="field__hint">
          {file ? t('import.chosen', { file: file.name, size: number(Math.ceil(file.size / 1024)) }) : t('import.dropHint')}
        </p>
        <button type="submit" className="button" disabled={busy}>
          {t('import.submit')}
        </button>
      </form>

      {state.kind === 'uploading' && <ImportProgress progress={state.progress} />}
      {state.kind === 'done' && <ImportResult fileName={state.fileName} report={state.report} />}
    </section>
  );
}

function ImportProgress({ progress }: { progress: UploadProgress }) {
  const { t } = useTranslation('subscribers');
  const said = progress.sent
    ? t('import.processing')
    : progress.percent === undefined
      ? t('import.uploadingUnknown')
      : t('import.uploading', { percent: progress.percent });
  return (
    <div className="import__progress">
      <label htmlFor="import-progress">{t('import.progressLabel')}</label>
      <progress id="import-progress" max={100} value={progress.sent ? undefined : progress.percent} />
      <p role="status">{said}</p>
    </div>
  );
}

function ImportResult({ fileName, report }: { fileName: string; report: ImportReport }) {
  const { t, i18n } = useTranslation('subscribers');
  const number = (value: number) => formatNumber(value, i18n.language);
  const refused = report.refused;
  const download = () =>
    downloadCsv(t('import.csvFileName'), refusedRowsToCsv(refused, { line: t('import.line'), reason: t('import.reason') }));
  return (
    <div className="import__result">
      <div className={refused.length > 0 ? 'notice notice--warning' : 'notice notice--success'} role="status">
        <h3>{t('import.doneTitle', { file: fileName })}</h3>
        <p>{t('import.next')}</p>
      </div>
      <dl className="cards">
        <div className="card">
          <dt className="card__label">{t('import.imported')}</dt>
          <dd className="card__value">{number(report.imported)}</dd>
        </div>
        <div className="card">
          <dt className="card__label">{t('import.updated')}</dt>
          <dd className="card__value">{number(report.updated)}</dd>
        </div>
        <div className="card">
          <dt className="card__label">{t('import.refused')}</dt>
          <dd className="card__value">{number(report.refusedCount)}</dd>
        </div>
      </dl>
      {refused.length === 0 ? (
        <p>{t('import.noneRefused')}</p>
      ) : (
        <>
          <h3>{t('import.refusedHeading')}</h3>
          <p>{t('import.refusedHint')}</p>
          <div className="actions">
            <button type="button" className="button button--secondary" onClick={download}>
              {t('import.download')}
            </button>
          </div>
          {report.refusedCount > refused.length && (
            <p>{t('import.refusedListed', { listed: number(refused.length), total: number(report.refusedCount) })}</p>
          )}
          {refused.length > REFUSED_SHOWN && (
            <p>{t('import.refusedTruncated', { shown: number(REFUSED_SHOWN), total: number(refused.length) })}</p>
          )}
          <div className="table-wrap">
            <table>
              <caption>{t('import.refusedCaption')}</caption>
              <TableHead columns={[{ label: t('import.line'), number: true }, { label: t('import.reason') }]} />
              <tbody>
                {refused.slice(0, REFUSED_SHOWN).map((row) => (
                  <tr key={row.line}>
                    <td className="number">{row.line}</td>
                    <td>{row.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
