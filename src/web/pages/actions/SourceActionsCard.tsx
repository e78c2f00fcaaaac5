import { CheckOutlined, PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Table, type TableColumnsType, Typography } from 'antd';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import type { ActionStatus } from '../../../common/actions';
import type { CorrectiveAction } from '../../../common/schemas/actions';
import { formatDateTime } from '../../../common/time';
import { errorText } from '../../api/client';
import { useT } from '../../i18n';
import { CompleteActionDrawer, VerifyActionDrawer } from './ActionDrawers';
import { ActionDueTag, ActionKindTag, ActionStatusTag } from './shared';

// The actions raised on one record (a case, a special requirement: the actions module's sources),
// each with its owner, due date and state; 新增措施 for whoever may raise, 完成 for the owner,
// 验证 for quality. The source gives how to load its list and its own raise drawer.

/** What, who and by when, and the state: the columns every list of actions starts with. */
export function actionColumns(t: ReturnType<typeof useT>, wide = false): TableColumnsType<CorrectiveAction> {
  return [
    {
      title: t('actions.field.description'),
      key: 'description',
      render: (_, a) => (
        <Flex vertical gap={4} align="flex-start">
          <ActionKindTag kind={a.kind} />
          <ActionText a={a} />
        </Flex>
      ),
    },
    {
      title: t('actions.field.ownerDue'),
      key: 'owner',
      width: wide ? 200 : 190,
      render: (_, a) => (
        <Flex vertical gap={4} align="flex-start">
          <span>{a.owner?.name ?? '—'}</span>
          <ActionDueTag action={a} />
        </Flex>
      ),
    },
    {
      title: t('actions.field.status'),
      dataIndex: 'status',
      width: wide ? 100 : 90,
      render: (v: ActionStatus) => <ActionStatusTag status={v} />,
    },
  ];
}

export function SourceActionsCard({
  title,
  testId,
  fetch,
  reloadKey,
  mayRaise = false,
  raiseDrawer,
  emptyText,
  hideWhenEmpty = false,
  onChanged,
}: {
  title: string;
  testId: string;
  fetch: () => Promise<{ items: CorrectiveAction[]; canRaise: boolean }>;
  /** The list is loaded again when this changes (the record was saved). */
  reloadKey: string;
  /** The source already knows the reader may raise (before the list answers). */
  mayRaise?: boolean;
  raiseDrawer: (p: { open: boolean; onClose: () => void; onDone: () => void }) => ReactNode;
  emptyText: { canRaise: string; cannot: string };
  /** No card at all when there is nothing and nothing may be raised. */
  hideWhenEmpty?: boolean;
  onChanged: () => void;
}) {
  const t = useT();
  const [items, setItems] = useState<CorrectiveAction[] | null>(null);
  const [canRaise, setCanRaise] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [raising, setRaising] = useState(false);
  const [completing, setCompleting] = useState<CorrectiveAction | null>(null);
  const [verifying, setVerifying] = useState<CorrectiveAction | null>(null);
  const load = useCallback(async () => {
    try {
      const res = await fetch();
      setItems(res.items);
      setCanRaise(res.canRaise);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [fetch]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the record changes
  useEffect(() => {
    load();
  }, [reloadKey]);
  const changed = () => {
    setRaising(false);
    setCompleting(null);
    setVerifying(null);
    load();
    onChanged();
  };
  const raise = canRaise || mayRaise;
  const anyButtons = !!items?.some((a) => a.can.complete || a.can.verify);
  const open = items?.filter((a) => a.status === 'open').length ?? 0;
  const toVerify = items?.filter((a) => a.status === 'done').length ?? 0;
  if (hideWhenEmpty && items && items.length === 0 && !raise) return null;
  return (
    <Card
      title={title}
      size="small"
      data-testid={testId}
      extra={
        raise && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setRaising(true)}>
            {t('actions.raise.button')}
          </Button>
        )
      }
    >
      {items && items.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('actions.summary', { total: items.length, open, toVerify })}
        </Typography.Paragraph>
      )}
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <Table<CorrectiveAction>
        rowKey="id"
        size="small"
        pagination={false}
        loading={items === null && !error}
        dataSource={items ?? []}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={raise ? emptyText.canRaise : emptyText.cannot}
            />
          ),
        }}
        columns={[
          ...actionColumns(t),
          ...(anyButtons
            ? [
                {
                  title: t('common.actions'),
                  key: 'buttons',
                  width: 90,
                  render: (_: unknown, a: CorrectiveAction) => (
                    <ActionButtons a={a} onComplete={setCompleting} onVerify={setVerifying} />
                  ),
                },
              ]
            : []),
        ]}
      />
      {raiseDrawer({ open: raising, onClose: () => setRaising(false), onDone: changed })}
      <CompleteActionDrawer action={completing} onClose={() => setCompleting(null)} onDone={changed} />
      <VerifyActionDrawer action={verifying} onClose={() => setVerifying(null)} onDone={changed} />
    </Card>
  );
}

/** 完成 for the owner (or the case's handler), 验证 for quality. */
export function ActionButtons({
  a,
  onComplete,
  onVerify,
}: {
  a: CorrectiveAction;
  onComplete: (a: CorrectiveAction) => void;
  onVerify: (a: CorrectiveAction) => void;
}) {
  const t = useT();
  return (
    <Flex vertical gap={4} align="flex-start">
      {a.can.complete && (
        <Button size="small" type="primary" icon={<CheckOutlined />} onClick={() => onComplete(a)}>
          {t('actions.complete.button')}
        </Button>
      )}
      {a.can.verify && (
        <Button size="small" type="primary" icon={<SafetyCertificateOutlined />} onClick={() => onVerify(a)}>
          {t('actions.verify.button')}
        </Button>
      )}
    </Flex>
  );
}

/** What is to be done, and below it what was done and how it was verified, with who and when. */
export function ActionText({ a }: { a: CorrectiveAction }) {
  const t = useT();
  const who = (p: { name: string } | null, at: string | null) =>
    at ? `${p?.name ?? ''} ${formatDateTime(at)}`.trim() : '';
  return (
    <div>
      <div style={{ whiteSpace: 'pre-wrap' }}>{a.description}</div>
      {a.result && (
        <div style={{ marginTop: 4 }}>
          <Typography.Text type="secondary">
            {t('actions.field.result')}
            {t('common.colon')}
          </Typography.Text>
          <span style={{ whiteSpace: 'pre-wrap' }}>{a.result}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {' '}
            ({who(a.doneBy, a.doneAt)})
          </Typography.Text>
        </div>
      )}
      {a.verification && (
        <div style={{ marginTop: 4 }}>
          <Typography.Text type="secondary">
            {t('actions.field.verification')}
            {t('common.colon')}
          </Typography.Text>
          <span style={{ whiteSpace: 'pre-wrap' }}>{a.verification}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {' '}
            ({who(a.verifiedBy, a.verifiedAt)})
          </Typography.Text>
        </div>
      )}
    </div>
  );
}
