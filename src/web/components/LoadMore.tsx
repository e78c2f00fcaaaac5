import { Button, Flex, Typography } from 'antd';
import { useT } from '../i18n';

/** The "加载更多" row under a keyset-paginated table. */
export function LoadMore({
  count,
  hasMore,
  loading,
  onLoadMore,
}: {
  count: number;
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
}) {
  const t = useT();
  if (count === 0) return null;
  return (
    <Flex justify="center" align="center" gap={12} style={{ marginTop: 16 }}>
      {hasMore ? (
        <>
          <Typography.Text type="secondary">{t('common.loadedSoFar', { count })}</Typography.Text>
          <Button onClick={onLoadMore} loading={loading}>
            {t('common.loadMore')}
          </Button>
        </>
      ) : (
        <Typography.Text type="secondary">{t('common.allLoaded', { count })}</Typography.Text>
      )}
    </Flex>
  );
}
