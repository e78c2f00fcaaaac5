import { Button, Result, Typography } from 'antd';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useT } from '../i18n';

function CrashResult({ error }: { error: Error }) {
  const t = useT();
  return (
    <Result
      status="error"
      title={t('error.crashTitle')}
      subTitle={t('error.crashSub')}
      extra={[
        <Button type="primary" key="reload" onClick={() => window.location.reload()}>
          {t('common.reload')}
        </Button>,
        <Button key="home" href="/">
          {t('common.backHome')}
        </Button>,
      ]}
    >
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginBottom: 0 }} copyable>
        {error.message}
      </Typography.Paragraph>
    </Result>
  );
}

interface State {
  error: Error | null;
}

/** Catches rendering errors below it; keyed by the route so that navigating away recovers. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  componentDidCatch(error: unknown, info: ErrorInfo): void {
    // Kept in the console for the administrator's bug report.
    console.error('Kedang page error', error, info.componentStack);
  }

  render() {
    return this.state.error ? <CrashResult error={this.state.error} /> : this.props.children;
  }
}

export { CrashResult };
