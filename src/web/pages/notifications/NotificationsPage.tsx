import { App, Button, Card, Empty, Flex, Segmented, Spin } from 'antd';
import { useCallback } from 'react';
import type { Notification } from '../../../common/schemas/operations';
import { errorText } from '../../api/client';
import { notificationsApi } from '../../api/operations';
import { LoadMore } from '../../components/LoadMore';
import {
  NotificationEntry,
  notificationsChanged,
  useOpenNotification,
} from '../../components/NotificationBell';
import { PageContainer } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { useT } from '../../i18n';

/** 我的通知 /notifications: every notification of the signed-in person, newest first (R-W2). */
export default function NotificationsPage() {
  const t = useT();
  const { message } = App.useApp();
  const list = useKeysetList<Notification, { unread: boolean }>(
    (f, cursor) => notificationsApi.list({ unread: f.unread, cursor, limit: 30 }),
    { unread: false },
  );
  const { replace } = list;
  const open = useOpenNotification(
    useCallback((read: Notification) => replace((x) => x.id === read.id, read), [replace]),
  );

  const readAll = async () => {
    try {
      await notificationsApi.markAllRead();
      notificationsChanged();
      await list.reload();
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <PageContainer
      title={t('notifications.pageTitle')}
      subTitle={t('notifications.intro')}
      extra={<Button onClick={readAll}>{t('notifications.readAll')}</Button>}
    >
      <Card>
        <Segmented
          value={list.filters.unread ? 'unread' : 'all'}
          onChange={(v) => list.reload({ unread: v === 'unread' })}
          options={[
            { value: 'all', label: t('notifications.filterAll') },
            { value: 'unread', label: t('notifications.filterUnread') },
          ]}
          style={{ marginBottom: 12 }}
        />
        {list.loading ? (
          <Flex justify="center" style={{ padding: 32 }}>
            <Spin />
          </Flex>
        ) : list.items.length === 0 ? (
          <Empty description={t('notifications.none')} />
        ) : (
          <Flex vertical gap={4}>
            {list.items.map((n) => (
              <NotificationEntry key={n.id} n={n} onOpen={open} />
            ))}
          </Flex>
        )}
        <LoadMore
          count={list.items.length}
          hasMore={!!list.nextCursor}
          loading={list.loadingMore}
          onLoadMore={list.loadMore}
        />
      </Card>
    </PageContainer>
  );
}
