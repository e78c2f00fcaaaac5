import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Tooltip, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useT } from '../i18n';

/** The card around a list page's table: its title, the number of matches and a refresh button. */
export function ListCard({
  title,
  total,
  onRefresh,
  children,
}: {
  title: string;
  /** "共 N 条", or null while it is being counted. */
  total: string | null;
  onRefresh: () => void;
  children: ReactNode;
}) {
  const t = useT();
  return (
    <Card
      title={
        <Flex gap={8} align="baseline">
          <span>{title}</span>
          {total !== null && (
            <Typography.Text type="secondary" style={{ fontSize: 14, fontWeight: 400 }} data-testid="count">
              {total}
            </Typography.Text>
          )}
        </Flex>
      }
      extra={
        <Tooltip title={t('common.refresh')}>
          <Button icon={<ReloadOutlined />} onClick={onRefresh} aria-label={t('common.refresh')} />
        </Tooltip>
      }
    >
      {children}
    </Card>
  );
}

/** The number of matches for a list's filters, counted again whenever they change. */
export function useMatchCount<F>(
  filters: F,
  count: (filters: F, signal: AbortSignal) => Promise<{ count: number }>,
) {
  const [value, setValue] = useState<number | null>(null);
  const key = JSON.stringify(filters);
  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for filters
  useEffect(() => {
    const ctrl = new AbortController();
    setValue(null);
    count(filters, ctrl.signal)
      .then((r) => setValue(r.count))
      .catch(() => {});
    return () => ctrl.abort();
  }, [key]);
  return value;
}
