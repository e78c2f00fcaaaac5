import { Flex, Spin, Typography } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { useT } from '../i18n';

/** Page title, optional subtitle and actions, then the page's cards. Sets the tab title. */
export function PageContainer({
  title,
  subTitle,
  extra,
  children,
}: {
  title: string;
  subTitle?: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
}) {
  const t = useT();
  useEffect(() => {
    document.title = `${title} - ${t('app.fullName')}`;
  }, [title, t]);
  return (
    <div>
      <Flex align="center" justify="space-between" gap={16} wrap style={{ marginBottom: 16 }}>
        <div style={{ minWidth: 0 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          {subTitle && (
            <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
              {subTitle}
            </Typography.Text>
          )}
        </div>
        {extra && (
          <Flex gap={8} wrap>
            {extra}
          </Flex>
        )}
      </Flex>
      <Flex vertical gap={16}>
        {children}
      </Flex>
    </div>
  );
}

/** Spinner for a page or card that is still loading. */
export function PageSpin() {
  const t = useT();
  return (
    <div style={{ padding: '64px 0', textAlign: 'center' }}>
      <Spin size="large" aria-label={t('common.loading')} />
    </div>
  );
}
