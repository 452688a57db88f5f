import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Translation } from 'react-i18next';

interface Props {
  children?: ReactNode;
  initialError?: Error;
}

/** Shows what went wrong and a Reload button instead of a blank window. */
export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: this.props.initialError ?? null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Switchboard window error', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <Translation>
        {(t) => (
          <div role="alert" className="fatal">
            <h1>{t('fatal.title')}</h1>
            <p>{this.state.error?.message}</p>
            <button type="button" onClick={() => window.location.reload()}>
              {t('fatal.reload')}
            </button>
          </div>
        )}
      </Translation>
    );
  }
}
