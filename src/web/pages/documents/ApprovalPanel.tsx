import { CheckOutlined, RollbackOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Descriptions, Flex, Form, Modal, Space, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { APPROVAL_STATE_LABELS, type ApprovalStep } from '../../../common/documents';
import type { Document, DocumentVersion } from '../../../common/schemas/documents';
import { formatDateTime, todayInShanghai } from '../../../common/time';
import { errorText, formErrorText } from '../../api/client';
import { documentsApi } from '../../api/documents';
import { useLabel, useT } from '../../i18n';
import { ReasonModal } from './shared';

// 编制 → 审核 → 会签 → 批准 of a version of an internal document (issue 18): who signed each step of
// this round and when, the effective date, the last return's reason, and the buttons the reader
// may use (the server checks each again).

export function ApprovalPanel({
  document,
  version,
  onChanged,
}: {
  document: Document;
  version: DocumentVersion;
  onChanged: () => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [returning, setReturning] = useState(false);
  const [approving, setApproving] = useState(false);
  const approval = version.approval;
  if (!approval) return null;
  const round = approval.signatures.filter((s) => s.round === approval.round && s.decision === 'signed');
  const signed = (step: ApprovalStep) => {
    const s = round.find((x) => x.step === step);
    return s ? `${s.signerName} ${formatDateTime(s.signedAt)}` : t('documents.approval.unsigned');
  };
  const lastReturn = approval.signatures.filter((s) => s.decision === 'returned').at(-1);
  const run = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await action();
      message.success(done);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
      onChanged();
    }
  };
  const can = version.can;
  return (
    <Flex vertical gap={8} style={{ marginBottom: 8 }} data-testid={`approval-${version.seq}`}>
      <Flex gap={8} align="center" wrap>
        <Tag color={approval.state === 'approved' ? 'green' : 'gold'} data-testid="approval-state">
          {approval.state === 'approved' && version.status !== 'draft'
            ? t('documents.approval.inForce')
            : label(APPROVAL_STATE_LABELS[approval.state])}
        </Tag>
        <Space size={4} wrap style={{ marginInlineStart: 'auto' }}>
          {can.submit && (
            <Button
              size="small"
              type="primary"
              icon={<SendOutlined />}
              loading={busy}
              onClick={() =>
                run(
                  () => documentsApi.submitVersion(document.id, version.id),
                  t('documents.approval.submitted'),
                )
              }
            >
              {t('documents.approval.submit')}
            </Button>
          )}
          {can.review && (
            <Button
              size="small"
              type="primary"
              icon={<CheckOutlined />}
              loading={busy}
              onClick={() =>
                run(
                  () => documentsApi.reviewVersion(document.id, version.id),
                  t('documents.approval.reviewed'),
                )
              }
            >
              {t('documents.approval.review')}
            </Button>
          )}
          {can.countersign.map((departmentId) => {
            const name =
              approval.countersign.find((c) => c.departmentId === departmentId)?.departmentName ?? '';
            return (
              <Button
                key={departmentId}
                size="small"
                type="primary"
                icon={<CheckOutlined />}
                loading={busy}
                onClick={() =>
                  run(
                    () => documentsApi.countersignVersion(document.id, version.id, departmentId),
                    t('documents.approval.countersigned'),
                  )
                }
              >
                {t('documents.approval.countersign', { department: name })}
              </Button>
            );
          })}
          {can.approve && (
            <Button size="small" type="primary" icon={<CheckOutlined />} onClick={() => setApproving(true)}>
              {t('documents.approval.approve')}
            </Button>
          )}
          {can.return && (
            <Button size="small" danger icon={<RollbackOutlined />} onClick={() => setReturning(true)}>
              {t('documents.approval.return')}
            </Button>
          )}
        </Space>
      </Flex>
      {lastReturn && approval.state === 'drafting' && (
        <Alert
          type="warning"
          showIcon
          title={t('documents.approval.returnedBy', {
            name: lastReturn.signerName,
            at: formatDateTime(lastReturn.signedAt),
            reason: lastReturn.reason ?? '',
          })}
        />
      )}
      <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('documents.approval.step.draft')}>{signed('draft')}</Descriptions.Item>
        <Descriptions.Item label={t('documents.approval.step.review')}>{signed('review')}</Descriptions.Item>
        {approval.countersign.map((c) => (
          <Descriptions.Item
            key={c.departmentId}
            label={`${t('documents.approval.step.countersign')}（${c.departmentName}）`}
          >
            {c.signerName && c.signedAt
              ? `${c.signerName} ${formatDateTime(c.signedAt)}`
              : t('documents.approval.unsigned')}
          </Descriptions.Item>
        ))}
        <Descriptions.Item label={t('documents.approval.step.approve')}>
          {signed('approve')}
        </Descriptions.Item>
        <Descriptions.Item label={t('documents.approval.effectiveDate')}>
          {approval.effectiveDate ?? '—'}
        </Descriptions.Item>
      </Descriptions>
      <ReasonModal
        open={returning}
        title={t('documents.approval.returnTitle')}
        okText={t('documents.approval.return')}
        hint={t('documents.approval.returnHint')}
        reasonLabel={t('documents.approval.returnReason')}
        onClose={() => setReturning(false)}
        onSubmit={async (reason) => {
          await documentsApi.returnVersion(document.id, version.id, reason);
          setReturning(false);
          message.success(t('documents.approval.returned'));
          onChanged();
        }}
      />
      <ApproveModal
        open={approving}
        onClose={() => setApproving(false)}
        onSubmit={async (date) => {
          await documentsApi.approveVersion(document.id, version.id, date);
          setApproving(false);
          message.success(t('documents.approval.approved'));
          onChanged();
        }}
      />
    </Flex>
  );
}

/** 批准 with the 生效日期: today or a later day. */
function ApproveModal({
  open,
  onClose,
  onSubmit,
}: {
  open: boolean;
  onClose: () => void;
  onSubmit: (effectiveDate: string) => Promise<unknown>;
}) {
  const t = useT();
  const [form] = Form.useForm<{ effectiveDate: Dayjs }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const today = todayInShanghai();
  return (
    <Modal
      open={open}
      title={t('documents.approval.approveTitle')}
      okText={t('documents.approval.approve')}
      okButtonProps={{ loading: saving }}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Alert type="info" showIcon title={t('documents.approval.approveHint')} style={{ marginBottom: 16 }} />
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ effectiveDate: dayjs(today) }}
        onFinish={async (v) => {
          setSaving(true);
          setError(null);
          try {
            await onSubmit(v.effectiveDate.format('YYYY-MM-DD'));
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item
          name="effectiveDate"
          label={t('documents.approval.effectiveDate')}
          rules={[{ required: true }]}
        >
          <DatePicker
            style={{ width: '100%' }}
            data-testid="effective-date"
            disabledDate={(d) => d.isBefore(dayjs(today), 'day')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
