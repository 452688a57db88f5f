/**
 * Starts a window: reads the language preference from main, initialises i18n, follows language changes
 * made in Settings, and renders the app inside an error boundary so a bug shows a message, not a blank
 * screen.
 */
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { changeLanguage, initI18n } from '../i18n';
import { getApi } from './api';
import { ErrorBoundary } from '../components/ErrorBoundary';

export async function bootstrap(render: () => ReactNode): Promise<void> {
  const container = document.getElementById('root');
  if (!container) throw new Error('#root is missing');
  const root = createRoot(container);
  let language: 'en' | 'zh-TW' = navigator.language.toLowerCase().startsWith('zh') ? 'zh-TW' : 'en';
  try {
    const api = getApi();
    const prefs = await api.app.getPreferences();
    if (prefs.ok) language = prefs.value.resolvedLanguage;
    api.on('app:preferencesChanged', (view) => void changeLanguage(view.resolvedLanguage));
  } catch (error) {
    await initI18n(language);
    root.render(<ErrorBoundary initialError={error instanceof Error ? error : new Error(String(error))} />);
    return;
  }
  await initI18n(language);
  root.render(
    <StrictMode>
      <ErrorBoundary>{render()}</ErrorBoundary>
    </StrictMode>,
  );
}
