import { BellOutlined } from '@ant-design/icons';
import { App, Badge, Button, Empty, Flex, Popover, Spin, Typography, theme } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import type { Notification } from '../../common/schemas/operations';
import { formatDateTime } from '../../common/time';
import { errorText } from '../api/client';
import { notificationsApi } from '../api/operations';
import { useT } from '../i18n';

const POLL_MS = 60_000;
const SHOWN = 8;
const CHANGED = 'kedang:notifications';

/** Tells the bell that notifications were read elsewhere (the notifications page). */
export function notificationsChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

/** Marks a notification read (if it is not) and opens its link. */
export function useOpenNotification(onRead?: (n: Notification) => void) {
  const navigate = useNavigate();
  const { message } = App.useApp();
  return useCallback(
    async (n: Notification) => {
      try {
        const read = n.readAt ? n : await notificationsApi.markRead(n.id);
        onRead?.(read);
        notificationsChanged();
        if (n.link) navigate(n.link);
      } catch (e) {
        message.error(errorText(e));
      }
    },
    [navigate, message, onRead],
  );
}

/** One notification: title (bold while unread), text, time. */
export function NotificationEntry({ n, onOpen }: { n: Notification; onOpen: (n: Notification) => void }) {
  const { token } = theme.useToken();
  return (
    <button
      type="button"
      className="kd-notification"
      data-testid="notification"
      data-unread={n.readAt ? undefined : 'true'}
      onClick={() => onOpen(n)}
      style={{
        display: 'block',
        width: '100%',
        textAlign: 'left',
        border: 0,
        borderRadius: token.borderRadius,
        padding: '8px 10px',
        background: n.readAt ? 'transparent' : token.colorPrimaryBg,
        cursor: n.link ? 'pointer' : 'default',
      }}
    >
      <Flex justify="space-between" gap={8}>
        <Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>
        {!n.readAt && <Badge status="processing" />}
      </Flex>
      {n.body && (
        <Typography.Paragraph
          type="secondary"
          ellipsis={{ rows: 2 }}
          style={{ margin: '2px 0 0', fontSize: 12 }}
        >
          {n.body}
        </Typography.Paragraph>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatDateTime(n.createdAt)}
      </Typography.Text>
    </button>
  );
}

/** The bell in the header: the unread count, and the newest notifications on click (R-W2). */
export function NotificationBell() {
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [count, setCount] = useState(0);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Notification[] | null>(null);

  const refresh = useCallback(async () => {
    try {
      setCount((await notificationsApi.unreadCount()).count);
    } catch {
      // offline for a moment: the next poll tries again
    }
  }, []);
  useEffect(() => {
    refresh();
    const timer = window.setInterval(refresh, POLL_MS);
    window.addEventListener('focus', refresh);
    window.addEventListener(CHANGED, refresh);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', refresh);
      window.removeEventListener(CHANGED, refresh);
    };
  }, [refresh]);

  const load = useCallback(async () => {
    try {
      const [page, unread] = await Promise.all([
        notificationsApi.list({ limit: SHOWN }),
        notificationsApi.unreadCount(),
      ]);
      setItems(page.items);
      setCount(unread.count);
    } catch (e) {
      message.error(errorText(e));
    }
  }, [message]);

  const openEntry = useOpenNotification(
    useCallback(
      (read: Notification) => {
        setOpen(false);
        setItems((prev) => prev?.map((x) => (x.id === read.id ? read : x)) ?? null);
        refresh();
      },
      [refresh],
    ),
  );

  const readAll = async () => {
    try {
      await notificationsApi.markAllRead();
      await load();
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const content = (
    <div style={{ width: 340 }} data-testid="notification-list">
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('notifications.title')}</Typography.Text>
        <Button type="link" size="small" disabled={count === 0} onClick={readAll}>
          {t('notifications.readAll')}
        </Button>
      </Flex>
      {items === null ? (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.none')} />
      ) : (
        <Flex vertical gap={4} style={{ maxHeight: 420, overflowY: 'auto' }}>
          {items.map((n) => (
            <NotificationEntry key={n.id} n={n} onOpen={openEntry} />
          ))}
        </Flex>
      )}
      <Flex justify="center" style={{ marginTop: 8 }}>
        <Button
          type="link"
          size="small"
          onClick={() => {
            setOpen(false);
            navigate('/notifications');
          }}
        >
          {t('notifications.all')}
        </Button>
      </Flex>
    </div>
  );

  return (
    <Popover
      content={content}
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) load();
      }}
    >
      <Button
        type="text"
        style={{ height: 48, width: 48 }}
        aria-label={t('notifications.bell', { count })}
        data-testid="notification-bell"
      >
        <Badge count={count} overflowCount={99} size="small">
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
