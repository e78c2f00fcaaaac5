import { CheckCircleOutlined, FileTextOutlined, SaveOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Input,
  Progress,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { retentionLabel } from '../../../common/documents';
import type { Appraisal, AppraisalItem } from '../../../common/schemas/retention';
import { formatDateTime } from '../../../common/time';
import { errorText } from '../../api/client';
import { retentionApi } from '../../api/retention';
import { useAuth } from '../../auth/AuthContext';
import { LoadFailed } from '../../components/LoadFailed';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { useLang, useT } from '../../i18n';
import { useRetention } from '../documents/shared';
import { AppraisalStatusTag, HeldTag } from './shared';

type Draft = { decision?: 'keep' | 'destroy'; retention?: string | null; reason?: string | null };

/** 鉴定批次 /retention/appraisals/:id: the items, each member's opinion, the conclusion (R-X2). */
export default function AppraisalDetailPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { lang } = useLang();
  const { me, can } = useAuth();
  const { message, modal } = App.useApp();
  const retention = useRetention();
  const [a, setA] = useState<Appraisal | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [saving, setSaving] = useState(false);

  const load = useCallback(async () => {
    try {
      const got = await retentionApi.appraisal(id);
      setA(got);
      const mine: Record<string, Draft> = {};
      for (const item of got.items) {
        const o = item.opinions.find((x) => x.userId === me?.id);
        if (o) mine[item.id] = { decision: o.decision, retention: o.retention, reason: o.reason };
      }
      setDrafts(mine);
    } catch (e) {
      setError(e);
    }
  }, [id, me?.id]);
  useEffect(() => {
    load();
  }, [load]);

  const members = a?.memberDetails ?? [];

  if (error)
    return (
      <LoadFailed
        error={error}
        notFound={t('appraisal.notFound')}
        backTo="/retention/appraisals"
        backLabel={t('appraisal.backToList')}
      />
    );
  if (!a) return <PageSpin />;

  const set = (itemId: string, patch: Draft) =>
    setDrafts((d) => ({ ...d, [itemId]: { ...d[itemId], ...patch } }));
  const save = async () => {
    const opinions = Object.entries(drafts)
      .filter(([, d]) => d.decision)
      .map(([itemId, d]) => ({
        itemId,
        decision: d.decision as 'keep' | 'destroy',
        retention: d.decision === 'keep' ? (d.retention ?? null) : null,
        reason: d.reason ?? null,
      }));
    const incomplete = opinions.find((o) => o.decision === 'keep' && (!o.retention || !o.reason));
    if (incomplete) {
      message.error(t(incomplete.retention ? 'appraisal.reasonRequired' : 'appraisal.retentionRequired'));
      return;
    }
    if (opinions.length === 0) return;
    setSaving(true);
    try {
      setA(await retentionApi.putOpinions(a.id, { opinions }));
      message.success(t('appraisal.saved'));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  const conclude = () => {
    const destroy = a.items.filter(
      (i) => i.opinions.length > 0 && i.opinions.every((o) => o.decision === 'destroy'),
    ).length;
    modal.confirm({
      title: t('appraisal.conclude'),
      content: t('appraisal.concludeConfirm', { destroy }),
      onOk: async () => {
        try {
          setA(await retentionApi.conclude(a.id));
          message.success(t('appraisal.concluded'));
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });
  };

  const decisionTag = (d: 'keep' | 'destroy', term: string | null, due: string | null) =>
    d === 'destroy' ? (
      <Tag color="red">{t('appraisal.destroy')}</Tag>
    ) : (
      <Tag color="green">
        {t('appraisal.keep')}
        {term ? ` ${retentionLabel(term, lang)}` : ''}
        {due ? ` ${t('appraisal.keepUntil', { date: due })}` : ''}
      </Tag>
    );

  const open = a.status === 'open';
  const columns = [
    { title: '#', dataIndex: 'seq', width: 50 },
    {
      title: t('documents.field.title'),
      dataIndex: 'title',
      width: 260,
      render: (v: string, i: AppraisalItem) => (
        <Flex vertical>
          <Flex gap={6} wrap align="center">
            <Link to={`/documents/${i.documentId}`}>{v}</Link>
            {i.held && <HeldTag />}
          </Flex>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {[i.archiveNo, i.docNumber, i.categoryName].filter(Boolean).join(' · ')}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('retention.due.year'), dataIndex: 'recordYear', width: 60 },
    {
      title: t('documents.field.retention'),
      dataIndex: 'retention',
      width: 90,
      render: (v: string) => retentionLabel(v, lang),
    },
    { title: t('retention.due.dueDate'), dataIndex: 'due', width: 100 },
    ...members
      .filter((m) => !(open && m.userId === me?.id))
      .map((m) => ({
        title: m.name,
        key: m.userId,
        width: 150,
        render: (_: unknown, i: AppraisalItem) => {
          const o = i.opinions.find((x) => x.userId === m.userId);
          return o ? (
            <Flex vertical gap={2} align="flex-start">
              {decisionTag(o.decision, o.retention, o.due)}
              {o.reason && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {o.reason}
                </Typography.Text>
              )}
            </Flex>
          ) : (
            <Typography.Text type="secondary">{t('appraisal.notYet')}</Typography.Text>
          );
        },
      })),
    ...(open && a.can.opine
      ? [
          {
            title: t('appraisal.myOpinion'),
            key: 'mine',
            width: 330,
            render: (_: unknown, i: AppraisalItem) => {
              const d = drafts[i.id] ?? {};
              return (
                <Flex vertical gap={6} data-testid={`opinion-${i.seq}`}>
                  <Radio.Group
                    value={d.decision}
                    onChange={(e) => set(i.id, { decision: e.target.value })}
                    optionType="button"
                    size="small"
                    options={[
                      { value: 'destroy', label: t('appraisal.destroy') },
                      { value: 'keep', label: t('appraisal.keep') },
                    ]}
                  />
                  {d.decision === 'keep' && (
                    <Space.Compact style={{ width: '100%' }}>
                      <Select
                        size="small"
                        style={{ width: 130 }}
                        placeholder={t('appraisal.newRetention')}
                        value={d.retention ?? undefined}
                        options={retention.options}
                        onChange={(v) => set(i.id, { retention: v })}
                      />
                      <Input
                        size="small"
                        placeholder={t('appraisal.reason')}
                        value={d.reason ?? ''}
                        onChange={(e) => set(i.id, { reason: e.target.value })}
                      />
                    </Space.Compact>
                  )}
                </Flex>
              );
            },
          },
        ]
      : []),
    ...(!open
      ? [
          {
            title: t('appraisal.outcome'),
            key: 'outcome',
            width: 220,
            render: (_: unknown, i: AppraisalItem) =>
              i.outcome && (
                <Flex vertical gap={2} align="flex-start">
                  {decisionTag(i.outcome, i.newRetention, i.newDue)}
                  {i.reason && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {i.reason}
                    </Typography.Text>
                  )}
                </Flex>
              ),
          },
        ]
      : []),
  ];

  return (
    <PageContainer
      title={`${a.number} ${a.title}`}
      subTitle={
        <Space size={8} wrap>
          <AppraisalStatusTag status={a.status} />
          {!open && <span>{t('appraisal.summary', { keep: a.counts.keep, destroy: a.counts.destroy })}</span>}
        </Space>
      }
      extra={
        <>
          {a.reportDocumentId && (
            <Link to={`/documents/${a.reportDocumentId}`}>
              <Button icon={<FileTextOutlined />}>{t('appraisal.report')}</Button>
            </Link>
          )}
          {a.can.opine && (
            <Button
              icon={<SaveOutlined />}
              loading={saving}
              onClick={save}
              type={a.can.conclude ? 'default' : 'primary'}
            >
              {t('appraisal.saveOpinions')}
            </Button>
          )}
          {a.can.conclude && (
            <Button type="primary" icon={<CheckCircleOutlined />} onClick={conclude}>
              {t('appraisal.conclude')}
            </Button>
          )}
        </>
      }
    >
      {open && !a.can.opine && <Alert type="info" showIcon title={t('appraisal.readOnly')} />}
      {!open && a.counts.destroy > 0 && can('disposal.manage') && (
        <Alert
          type="info"
          showIcon
          title={t('appraisal.nextRegister', { count: a.counts.destroy })}
          action={
            <Link to="/retention/disposals?tab=candidates">
              <Button size="small" type="primary">
                {t('disposal.new')}
              </Button>
            </Link>
          }
        />
      )}
      <Card size="small">
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            {
              key: 'created',
              label: t('appraisal.createdBy'),
              children: `${a.createdBy?.name ?? ''} ${formatDateTime(a.createdAt)}`,
            },
            {
              key: 'concluded',
              label: t('appraisal.concludedAt'),
              children: a.concludedAt ? `${a.concludedBy?.name ?? ''} ${formatDateTime(a.concludedAt)}` : '—',
            },
            { key: 'items', label: t('appraisal.items'), children: a.itemCount },
            ...(a.note ? [{ key: 'note', label: t('appraisal.note'), children: a.note, span: 3 }] : []),
          ]}
        />
        <Flex gap={24} wrap style={{ marginTop: 12 }}>
          {members.map((m) => (
            <Flex key={m.userId} vertical style={{ minWidth: 180 }}>
              <Typography.Text>
                {m.name}{' '}
                <Tag>{t(m.side === 'archive' ? 'appraisal.side.archive' : 'appraisal.side.business')}</Tag>
              </Typography.Text>
              <Progress
                size="small"
                percent={a.itemCount ? Math.round((m.opinions / a.itemCount) * 100) : 0}
                format={() => t('appraisal.memberProgress', { done: m.opinions, total: a.itemCount })}
              />
            </Flex>
          ))}
        </Flex>
      </Card>
      <Card
        title={t('appraisal.opinions')}
        extra={
          open &&
          a.can.opine && (
            <Button
              size="small"
              onClick={() =>
                setDrafts((d) =>
                  Object.fromEntries(
                    a.items.map((i): [string, Draft] => [
                      i.id,
                      d[i.id]?.decision ? (d[i.id] as Draft) : { decision: 'destroy' },
                    ]),
                  ),
                )
              }
            >
              {t('appraisal.allDestroy')}
            </Button>
          )
        }
      >
        <Table<AppraisalItem>
          rowKey="id"
          size="small"
          dataSource={a.items}
          pagination={a.items.length > 100 ? { pageSize: 100 } : false}
          scroll={{ x: 900 }}
          columns={columns}
        />
      </Card>
    </PageContainer>
  );
}
