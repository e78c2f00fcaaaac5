import { LockOutlined, UnlockOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Flex, Form, Input, Modal, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import {
  APPRAISAL_STATUS_LABELS,
  type AppraisalStatus,
  DISPOSAL_STATUS_LABELS,
  type DisposalStatus,
  HOLD_KIND_LABELS,
  HOLD_KINDS,
  type HoldKind,
} from '../../../common/retention';
import type { Document } from '../../../common/schemas/documents';
import type { Hold } from '../../../common/schemas/retention';
import { formatDateTime } from '../../../common/time';
import { formErrorText } from '../../api/client';
import { retentionApi } from '../../api/retention';
import { useLabel, useT } from '../../i18n';

// What the retention pages share: status tags, the hold banners and the hold dialogs, and the
// 保管与处置 block of a document's page.

const APPRAISAL_COLORS: Record<AppraisalStatus, string> = { open: 'processing', concluded: 'success' };
const DISPOSAL_COLORS: Record<DisposalStatus, string> = {
  draft: 'default',
  signing: 'processing',
  approved: 'blue',
  rejected: 'error',
  destroyed: 'warning',
  completed: 'success',
};

export function AppraisalStatusTag({ status }: { status: AppraisalStatus }) {
  const label = useLabel();
  return <Tag color={APPRAISAL_COLORS[status]}>{label(APPRAISAL_STATUS_LABELS[status])}</Tag>;
}

export function DisposalStatusTag({ status }: { status: DisposalStatus }) {
  const label = useLabel();
  return <Tag color={DISPOSAL_COLORS[status]}>{label(DISPOSAL_STATUS_LABELS[status])}</Tag>;
}

export function HeldTag() {
  const t = useT();
  return (
    <Tag color="volcano" icon={<LockOutlined />} title={t('retention.heldHint')}>
      {t('retention.held')}
    </Tag>
  );
}

type ActiveHold = Document['holds'][number];

/** The holds in force on a record, as banners; archivists and the GM may lift them here. */
export function HoldAlerts({
  holds,
  canLift,
  onChanged,
}: {
  holds: ActiveHold[];
  canLift: boolean;
  onChanged: () => void;
}) {
  const t = useT();
  const label = useLabel();
  const [lifting, setLifting] = useState<ActiveHold | null>(null);
  if (holds.length === 0) return null;
  return (
    <>
      {holds.map((h) => (
        <Alert
          key={h.id}
          type="warning"
          showIcon
          icon={<LockOutlined />}
          title={t(h.targetType === 'customer' ? 'holds.bannerCustomer' : 'holds.banner', {
            kind: label(HOLD_KIND_LABELS[h.kind]),
            reason: h.reason,
          })}
          description={formatDateTime(h.placedAt)}
          action={
            canLift && (
              <Button size="small" icon={<UnlockOutlined />} onClick={() => setLifting(h)}>
                {t('holds.lift')}
              </Button>
            )
          }
        />
      ))}
      <LiftHoldModal
        hold={lifting}
        onClose={() => setLifting(null)}
        onDone={() => {
          setLifting(null);
          onChanged();
        }}
      />
    </>
  );
}

export function LiftHoldModal({
  hold,
  onClose,
  onDone,
}: {
  hold: Pick<Hold, 'id'> | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open={!!hold}
      title={t('holds.liftTitle')}
      okText={t('holds.lift')}
      confirmLoading={saving}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          if (!hold) return;
          setSaving(true);
          try {
            await retentionApi.liftHold(hold.id, v.reason);
            message.success(t('holds.liftDone'));
            onDone();
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item name="reason" label={t('holds.liftReason')} rules={[{ required: true }]}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 冻结: puts a customer archive or a document on hold with a kind and a reason. */
export function HoldButton({
  targetType,
  targetId,
  name,
  onDone,
}: {
  targetType: Hold['targetType'];
  targetId: string;
  name: string;
  onDone: () => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ kind: HoldKind; reason: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <Button icon={<LockOutlined />} onClick={() => setOpen(true)}>
        {t('holds.place')}
      </Button>
      <Modal
        open={open}
        title={t('holds.placeTitle', { name })}
        okText={t('holds.place')}
        confirmLoading={saving}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        {targetType === 'customer' && (
          <Typography.Paragraph type="secondary">{t('holds.customerHint')}</Typography.Paragraph>
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form
          form={form}
          layout="vertical"
          initialValues={{ kind: 'dispute' }}
          onFinish={async (v) => {
            setSaving(true);
            setError(null);
            try {
              await retentionApi.placeHold({ targetType, targetId, kind: v.kind, reason: v.reason });
              message.success(t('holds.placed'));
              setOpen(false);
              onDone();
            } catch (e) {
              setError(formErrorText(form, e));
            } finally {
              setSaving(false);
            }
          }}
        >
          <Form.Item name="kind" label={t('holds.kind')} rules={[{ required: true }]}>
            <Select options={HOLD_KINDS.map((k) => ({ value: k, label: label(HOLD_KIND_LABELS[k]) }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('holds.reason')} rules={[{ required: true }]}>
            <Input.TextArea rows={3} maxLength={500} placeholder="如：客户对2016年供货质量提起诉讼" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** 保管与处置 on a document's page: the due date, holds and what destroyed it. */
export function DocumentRetention({ doc, onChanged }: { doc: Document; onChanged: () => void }) {
  const t = useT();
  const due = doc.retentionDue
    ? doc.retentionDue
    : doc.retention === 'Y'
      ? t('retention.card.never')
      : t('retention.card.notYet');
  return (
    <Flex vertical gap={12}>
      {doc.status === 'destroyed' && (
        <Alert
          type="error"
          showIcon
          title={t('retention.destroyedAlert', {
            number: doc.disposal?.number ?? '',
            date: formatDateTime(doc.destroyedAt).slice(0, 10),
          })}
          action={
            doc.disposal && <Link to={`/retention/disposals/${doc.disposal.id}`}>{doc.disposal.number}</Link>
          }
        />
      )}
      <HoldAlerts holds={doc.holds} canLift={doc.can.hold} onChanged={onChanged} />
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 3 }}
        items={[
          { key: 'due', label: t('retention.card.due'), children: due },
          ...(doc.lifeEndDate
            ? [{ key: 'life', label: t('retention.card.lifeEnd'), children: doc.lifeEndDate }]
            : []),
          ...(doc.withdrawnAt
            ? [
                {
                  key: 'withdrawn',
                  label: t('retention.card.withdrawn'),
                  children: formatDateTime(doc.withdrawnAt),
                },
              ]
            : []),
        ]}
      />
    </Flex>
  );
}
