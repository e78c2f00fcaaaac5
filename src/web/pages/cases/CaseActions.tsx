import { CheckOutlined, PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { ActionStatus } from '../../../common/actions';
import type { CorrectiveAction } from '../../../common/schemas/actions';
import type { Case } from '../../../common/schemas/cases';
import { formatDateTime } from '../../../common/time';
import { actionsApi } from '../../api/actions';
import { errorText } from '../../api/client';
import { useT } from '../../i18n';
import { CompleteActionDrawer, RaiseActionDrawer, VerifyActionDrawer } from '../actions/ActionDrawers';
import { ActionDueTag, ActionKindTag, ActionStatusTag } from '../actions/shared';

// 纠正预防措施 on a case (R-Q4): the actions raised on it, each with its owner, due date and state;
// 新增措施 for whoever handles the case, 完成 for the owner, 验证 for quality.

export function CaseActionsCard({ c, onChanged }: { c: Case; onChanged: () => void }) {
  const t = useT();
  const [items, setItems] = useState<CorrectiveAction[] | null>(null);
  const [canRaise, setCanRaise] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [raising, setRaising] = useState(false);
  const [completing, setCompleting] = useState<CorrectiveAction | null>(null);
  const [verifying, setVerifying] = useState<CorrectiveAction | null>(null);

  const load = useCallback(async () => {
    try {
      const res = await actionsApi.ofCase(c.id);
      setItems(res.items);
      setCanRaise(res.canRaise);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [c.id]);
  // The case's own list changes whenever the case is saved (a step may change who may raise).
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the case changes
  useEffect(() => {
    load();
  }, [load, c.status, c.handler?.id, c.actions.length]);

  const changed = () => {
    setRaising(false);
    setCompleting(null);
    setVerifying(null);
    load();
    onChanged();
  };

  const anyButtons = !!items?.some((a) => a.can.complete || a.can.verify);
  const open = items?.filter((a) => a.status === 'open').length ?? 0;
  const toVerify = items?.filter((a) => a.status === 'done').length ?? 0;
  if (items && items.length === 0 && !canRaise) return null;

  return (
    <Card
      title={t('actions.section')}
      size="small"
      data-testid="case-actions"
      extra={
        canRaise && (
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
              description={canRaise ? t('actions.emptyCanRaise') : t('actions.empty')}
            />
          ),
        }}
        columns={[
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
            width: 190,
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
            width: 90,
            render: (v: ActionStatus) => <ActionStatusTag status={v} />,
          },
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
      <RaiseActionDrawer
        open={raising}
        caseId={c.id}
        caseNumber={c.number}
        onClose={() => setRaising(false)}
        onDone={changed}
      />
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
