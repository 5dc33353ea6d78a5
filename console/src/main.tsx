import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DEFAULT_TIMEZONE } from '../../lambdas/core/time/local-time';
import { setApiBaseUrl } from './api/client';
import { App } from './app/App';
import { loadConfig, type ConsoleConfig } from './config';
import { setTimeZone } from './format';
import { setupI18n } from './i18n';
import './styles.css';

async function start(): Promise<void> {
  await setupI18n();
  let config: ConsoleConfig;
  try {
    config = await loadConfig();
  } catch {
    config = { apiUrl: '', timezone: DEFAULT_TIMEZONE, auth: { kind: 'session' } };
  }
  setApiBaseUrl(config.apiUrl);
  setTimeZone(config.timezone);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App config={config} />
    </StrictMode>,
  );
}

void start();
