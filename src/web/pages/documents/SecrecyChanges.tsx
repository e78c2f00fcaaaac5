import { FilePdfOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { SECRECY_LABELS, SECRECY_LEVELS, type SecrecyLevel, secrecyRank } from '../../../common/enums';
import type { Document, SecrecyChange } from '../../../common/schemas/documents';
import { formatDateTime } from '../../../common/time';
import { errorText } from '../../api/client';
import { documentsApi } from '../../api/documents';
import { useAuth } from '../../auth/AuthContext';
import { FileLink } from '../../components/FileLink';
import { useLabel, useT } from '../../i18n';

interface RequestValues {
  toLevel: SecrecyLevel;
  termKind: 'none' | 'years' | 'until' | 'long';
  termYears?: number | null;
  termFrom?: Dayjs | null;
  termUntil?: Dayjs | null;
  reason: string;
}

const STATUS_COLORS: Record<SecrecyChange['status'], string> = {
  pending: 'orange',
  approved: 'green',
  rejected: 'default',
  withdrawn: 'default',
};

/**
 * 密级变更/解除 of a document (R-P10): the requests with their decisions, the request form, the
 * general manager's approve / reject, and each request's 密级变更审批表 as PDF.
 */
export function SecrecyChanges({ doc, onChanged }: { doc: Document; onChanged: () => void }) {
  const t = useT();
  const label = useLabel();
  const { me } = useAuth();
  const { message, modal } = App.useApp();
  const [changes, setChanges] = useState<SecrecyChange[] | null>(null);
  const [asking, setAsking] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<RequestValues>();
  const toLevel = Form.useWatch('toLevel', form);
  const termKind = Form.useWatch('termKind', form);
  const myRank = me ? secrecyRank(me.clearance) : 0;

  const load = useCallback(() => {
    documentsApi
      .secrecyChanges(doc.id)
      .then(setChanges)
      .catch((e) => message.error(errorText(e)));
  }, [doc.id, message]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the document changes
  useEffect(load, [load, doc.updatedAt]);

  const submit = async (v: RequestValues) => {
    const day = (d?: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null);
    const toTerm =
      v.toLevel === 'normal' || v.termKind === 'none'
        ? null
        : v.termKind === 'long'
          ? { kind: 'long' as const }
          : v.termKind === 'until'
            ? { kind: 'until' as const, until: day(v.termUntil) ?? '' }
            : { kind: 'years' as const, years: v.termYears ?? 0, from: day(v.termFrom) };
    setSaving(true);
    setError(null);
    try {
      await documentsApi.requestSecrecyChange(doc.id, { toLevel: v.toLevel, toTerm, reason: v.reason });
      message.success(t('documents.secrecyChange.asked'));
      setAsking(false);
      load();
      onChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  const decide = (c: SecrecyChange, approve: boolean) => {
    let note = '';
    modal.confirm({
      title: approve ? t('documents.secrecyChange.approveTitle') : t('documents.secrecyChange.rejectTitle'),
      content: (
        <Flex vertical gap={8}>
          <span>{`${c.fromMark ?? label(SECRECY_LABELS[c.fromLevel])} → ${c.toMark ?? t('documents.secrecyChange.declassified')}`}</span>
          <Input.TextArea
            rows={2}
            maxLength={500}
            placeholder={t('documents.secrecyChange.note')}
            onChange={(e) => {
              note = e.target.value;
            }}
          />
        </Flex>
      ),
      okText: approve ? t('documents.secrecyChange.approve') : t('documents.secrecyChange.reject'),
      onOk: async () => {
        try {
          await documentsApi.decideSecrecyChange(doc.id, c.id, approve, note);
          load();
          onChanged();
        } catch (e) {
          message.error(errorText(e));
          throw e;
        }
      },
    });
  };

  const withdraw = (c: SecrecyChange) =>
    modal.confirm({
      title: t('documents.secrecyChange.withdrawTitle', { number: c.number }),
      okText: t('documents.secrecyChange.withdraw'),
      onOk: async () => {
        try {
          await documentsApi.withdrawSecrecyChange(doc.id, c.id);
          load();
          onChanged();
        } catch (e) {
          message.error(errorText(e));
          throw e;
        }
      },
    });

  const columns = [
    { title: t('documents.secrecyChange.number'), dataIndex: 'number', key: 'number', width: 140 },
    {
      title: t('documents.secrecyChange.change'),
      key: 'change',
      render: (_: unknown, c: SecrecyChange) =>
        `${c.fromMark ?? label(SECRECY_LABELS[c.fromLevel])} → ${c.toMark ?? t('documents.secrecyChange.declassified')}`,
    },
    { title: t('documents.secrecyChange.reason'), dataIndex: 'reason', key: 'reason' },
    {
      title: t('documents.secrecyChange.requested'),
      key: 'requested',
      width: 170,
      render: (_: unknown, c: SecrecyChange) =>
        `${c.requestedBy} ${formatDateTime(c.requestedAt).slice(0, 16)}`,
    },
    {
      title: t('documents.secrecyChange.status'),
      key: 'status',
      width: 220,
      render: (_: unknown, c: SecrecyChange) => (
        <Space direction="vertical" size={0}>
          <Tag color={STATUS_COLORS[c.status]}>{t(`documents.secrecyChange.status.${c.status}`)}</Tag>
          {c.decidedBy && <span>{`${c.decidedBy} ${formatDateTime(c.decidedAt).slice(0, 16)}`}</span>}
          {c.decisionNote && <span>{c.decisionNote}</span>}
        </Space>
      ),
    },
    {
      title: '',
      key: 'actions',
      width: 220,
      render: (_: unknown, c: SecrecyChange) => (
        <Space wrap>
          {c.can.decide && (
            <>
              <Button size="small" type="primary" onClick={() => decide(c, true)}>
                {t('documents.secrecyChange.approve')}
              </Button>
              <Button size="small" onClick={() => decide(c, false)}>
                {t('documents.secrecyChange.reject')}
              </Button>
            </>
          )}
          {c.can.withdraw && (
            <Button size="small" onClick={() => withdraw(c)}>
              {t('documents.secrecyChange.withdraw')}
            </Button>
          )}
          <FileLink
            size="small"
            inline
            icon={<FilePdfOutlined />}
            href={documentsApi.secrecyFormUrl(doc.id, c.id)}
          >
            {t('documents.secrecyChange.form')}
          </FileLink>
        </Space>
      ),
    },
  ];

  return (
    <Flex vertical gap={12}>
      <Alert type="info" showIcon title={t('documents.secrecyChange.intro')} />
      {doc.can.secrecyRequest && (
        <Flex justify="flex-end">
          <Button onClick={() => setAsking(true)} data-testid="ask-secrecy-change">
            {t('documents.secrecyChange.ask')}
          </Button>
        </Flex>
      )}
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={changes ?? []}
        loading={!changes}
        pagination={false}
      />
      <Modal
        open={asking}
        title={t('documents.secrecyChange.ask')}
        okText={t('documents.secrecyChange.submit')}
        confirmLoading={saving}
        onOk={() => form.submit()}
        onCancel={() => setAsking(false)}
        destroyOnHidden
      >
        <Form<RequestValues>
          form={form}
          layout="vertical"
          onFinish={submit}
          preserve={false}
          initialValues={{ toLevel: doc.secrecy, termKind: 'none' }}
        >
          <Form.Item name="toLevel" label={t('documents.secrecyChange.toLevel')} rules={[{ required: true }]}>
            <Select
              options={SECRECY_LEVELS.map((s) => ({
                value: s,
                label: s === 'normal' ? t('documents.secrecyChange.declassify') : label(SECRECY_LABELS[s]),
                disabled: secrecyRank(s) > myRank,
              }))}
            />
          </Form.Item>
          {toLevel !== 'normal' && (
            <Form.Item name="termKind" label={t('documents.field.secrecyTerm')}>
              <Select
                options={(['none', 'years', 'until', 'long'] as const).map((k) => ({
                  value: k,
                  label: t(`documents.term.${k}`),
                }))}
              />
            </Form.Item>
          )}
          {toLevel !== 'normal' && termKind === 'years' && (
            <Flex gap={12}>
              <Form.Item name="termYears" label={t('documents.term.years')} rules={[{ required: true }]}>
                <InputNumber min={1} max={99} precision={0} addonAfter="年" />
              </Form.Item>
              <Form.Item
                name="termFrom"
                label={t('documents.term.from')}
                extra={t('documents.secrecyChange.fromHint')}
              >
                <DatePicker />
              </Form.Item>
            </Flex>
          )}
          {toLevel !== 'normal' && termKind === 'until' && (
            <Form.Item name="termUntil" label={t('documents.term.untilDate')} rules={[{ required: true }]}>
              <DatePicker />
            </Form.Item>
          )}
          <Form.Item name="reason" label={t('documents.secrecyChange.reason')} rules={[{ required: true }]}>
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </Form>
        {error && <Alert type="error" showIcon title={error} />}
      </Modal>
    </Flex>
  );
}
