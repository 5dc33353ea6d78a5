import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiError, asApiError, call } from '../../api/client';
import { useUser } from '../../auth/AuthContext';
import { hasRole } from '../../auth/user';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { StatusTag } from '../../ui/StatusTag';
import type { Van } from './tours-api';
import { VanCrewDialog } from './VanCrewDialog';

/**
 * The vans; operators bind each van's crew (who sees it on their phone), and take one off the road (it gets
 * no new tours) or put it back, after a confirmation.
 */
export function VanList({ vans, onChanged }: { vans: readonly Van[]; onChanged(): void }) {
  const { t } = useTranslation('tours');
  const user = useUser();
  const [changing, setChanging] = useState<Van>();
  const [binding, setBinding] = useState<Van>();
  const [error, setError] = useState<ApiError>();
  const [warnings, setWarnings] = useState<string[]>([]);

  const change = async (van: Van) => {
    try {
      const path = van.status === 'active' ? '/v1/vans/{id}/maintenance' : '/v1/vans/{id}/activate';
      const updated = await call(api.POST(path, { params: { path: { id: van.id } } }));
      setWarnings((updated as { warnings?: string[] }).warnings ?? []);
      setError(undefined);
      onChanged();
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setChanging(undefined);
    }
  };

  return (
    <>
      <ErrorSummary error={error} />
      {warnings.length > 0 && (
        <div className="notice notice--warning" role="status">
          <ul>
            {warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('plate')}</th>
              <th scope="col">{t('kind')}</th>
              <th scope="col">{t('crewLead')}</th>
              <th scope="col">{t('state')}</th>
              {hasRole(user, 'operator') && <th scope="col">{t('crew')}</th>}
              {hasRole(user, 'operator') && <th scope="col">{t('calendar')}</th>}
              {hasRole(user, 'operator') && <th scope="col">{t('actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {vans.map((van) => (
              <tr key={van.id}>
                <td>{van.plate}</td>
                <td>{t(`kinds.${van.kind}`)}</td>
                <td>
                  {van.crewLead.name} ({van.crewLead.phone})
                </td>
                <td>
                  <StatusTag status={van.status} />
                </td>
                {hasRole(user, 'operator') && (
                  <td>
                    {van.crewUsers?.length ? van.crewUsers.join(', ') : t('noCrew')}{' '}
                    <button type="button" className="link-button" onClick={() => setBinding(van)}>
                      {t('editCrew', { plate: van.plate })}
                    </button>
                  </td>
                )}
                {hasRole(user, 'operator') && <td>{van.calendarPath && <a href={van.calendarPath}>{t('calendarLink')}</a>}</td>}
                {hasRole(user, 'operator') && (
                  <td>
                    <button type="button" className="button button--secondary" onClick={() => setChanging(van)}>
                      {van.status === 'active' ? t('toMaintenance') : t('toActive')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <VanCrewDialog van={binding} onClose={() => setBinding(undefined)} onSaved={onChanged} />
      <ConfirmDialog
        open={changing !== undefined}
        title={
          changing?.status === 'active'
            ? t('confirmMaintenance', { plate: changing?.plate })
            : t('confirmActive', { plate: changing?.plate })
        }
        confirmLabel={changing?.status === 'active' ? t('toMaintenance') : t('toActive')}
        onConfirm={() => changing && void change(changing)}
        onCancel={() => setChanging(undefined)}
      >
        <p>{changing?.status === 'active' ? t('maintenanceExplained') : t('activeExplained')}</p>
      </ConfirmDialog>
    </>
  );
}
