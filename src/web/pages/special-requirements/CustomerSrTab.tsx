import {
  AuditOutlined,
  BellOutlined,
  CheckCircleOutlined,
  FileProtectOutlined,
  PlusOutlined,
  PrinterOutlined,
  ReloadOutlined,
  SendOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Spin,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Customer } from '../../../common/schemas/customers';
import type { CustomerSrList, Distribution, SrCheck } from '../../../common/schemas/special-requirements';
import { SR_ACK_KIND_LABELS } from '../../../common/special-requirements';
import { formatDateTime, todayInShanghai } from '../../../common/time';
import { errorText, formErrorText, isApiError } from '../../api/client';
import { type SrCheckResult, type SrChecks, srApi } from '../../api/special-requirements';
import { FileLink } from '../../components/FileLink';
import { FormDrawer } from '../../components/FormDrawer';
import { useLabel, useT } from '../../i18n';
import { CharacteristicsSection, SymbolsSection } from './Characteristics';
import { DistributeDrawer, day, NewRequirementDrawer, SrTable, text } from './shared';

const SECTIONS = ['list', 'distributions', 'checks', 'symbols', 'characteristics'] as const;
type Section = (typeof SECTIONS)[number];

/** The 特殊要求 tab of a customer archive: the customer's 顾客特殊要求清单 with its revision and
 * yearly check, the distributions and who has not acknowledged, and the special characteristics. */
export function CustomerSrTab({ customer }: { customer: Pick<Customer, 'id' | 'name' | 'archiveCode'> }) {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const [list, setList] = useState<CustomerSrList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [drawer, setDrawer] = useState<'new' | 'check' | 'distribute' | null>(null);
  const [revising, setRevising] = useState(false);
  const [distVersion, setDistVersion] = useState(0);
  const [checkVersion, setCheckVersion] = useState(0);
  const sectionParam = params.get('sr') as Section | null;
  const section: Section = sectionParam && SECTIONS.includes(sectionParam) ? sectionParam : 'list';

  const load = useCallback(async () => {
    try {
      setList(await srApi.ofCustomer(customer.id));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [customer.id]);
  useEffect(() => {
    load();
  }, [load]);

  if (error && !list)
    return (
      <Alert
        type="error"
        showIcon
        title={error}
        action={
          <Button size="small" onClick={load}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  if (!list)
    return (
      <Flex justify="center" style={{ padding: 32 }}>
        <Spin />
      </Flex>
    );

  const ref = { id: customer.id, archiveCode: customer.archiveCode, name: customer.name };
  return (
    <Flex vertical gap={12} data-testid="customer-sr-tab">
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2, xl: 4 }}
        items={[
          {
            key: 'revision',
            label: t('sr.customer.revision'),
            children: list.revision
              ? t('sr.customer.revisionValue', {
                  revision: list.revision,
                  at: list.revisedAt ? formatDateTime(list.revisedAt).slice(0, 10) : '—',
                })
              : t('sr.customer.noRevision'),
          },
          {
            key: 'pdf',
            label: t('sr.customer.pdf'),
            children: list.document ? (
              <Link to={`/documents/${list.document.id}`}>
                {list.document.archiveNo ?? t('sr.customer.pdfNoNumber')}
              </Link>
            ) : (
              '—'
            ),
          },
          {
            key: 'last',
            label: t('sr.customer.lastCheck'),
            children: list.lastCheckedOn ?? t('sr.customer.neverChecked'),
          },
          {
            key: 'next',
            label: t('sr.customer.nextCheck'),
            children: list.nextCheckOn ? (
              <Typography.Text
                type={list.checkOverdue ? 'danger' : undefined}
                strong={list.checkOverdue}
                data-testid="sr-next-check"
              >
                {list.nextCheckOn}
                {list.checkOverdue && ` ${t('sr.customer.checkOverdue')}`}
              </Typography.Text>
            ) : (
              '—'
            ),
          },
        ]}
      />
      <Flex gap={8} wrap justify="flex-end">
        <Tooltip title={t('common.refresh')}>
          <Button icon={<ReloadOutlined />} onClick={load} aria-label={t('common.refresh')} />
        </Tooltip>
        {list.can.check && (
          <Button icon={<AuditOutlined />} onClick={() => setDrawer('check')} danger={list.checkOverdue}>
            {t('sr.check.button')}
          </Button>
        )}
        {list.can.distribute && list.revision > 0 && (
          <Button icon={<SendOutlined />} onClick={() => setDrawer('distribute')}>
            {t('sr.customer.distributeList')}
          </Button>
        )}
        {list.can.revise && (
          <Button icon={<FileProtectOutlined />} onClick={() => setRevising(true)}>
            {t('sr.revise.button')}
          </Button>
        )}
        {list.can.create && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer('new')}>
            {t('sr.new.button')}
          </Button>
        )}
      </Flex>
      <Tabs
        size="small"
        activeKey={section}
        onChange={(k) => {
          const next = new URLSearchParams(params);
          if (k === 'list') next.delete('sr');
          else next.set('sr', k);
          setParams(next, { replace: true });
        }}
        items={[
          {
            key: 'list',
            label: t('sr.customer.section.list', { count: list.items.length }),
            children: (
              <SrTable
                items={list.items}
                loading={false}
                showCustomer={false}
                empty={list.can.create ? t('sr.customer.emptyCan') : t('sr.customer.empty')}
              />
            ),
          },
          {
            key: 'distributions',
            label: t('sr.customer.section.distributions'),
            children: <DistributionsSection customerId={customer.id} version={distVersion} />,
          },
          {
            key: 'checks',
            label: t('sr.customer.section.checks'),
            children: <ChecksSection customerId={customer.id} version={checkVersion} />,
          },
          {
            key: 'symbols',
            label: t('sr.customer.section.symbols'),
            children: <SymbolsSection customerId={customer.id} />,
          },
          {
            key: 'characteristics',
            label: t('sr.customer.section.characteristics'),
            children: <CharacteristicsSection customerId={customer.id} requirements={list.items} />,
          },
        ]}
      />
      <NewRequirementDrawer
        open={drawer === 'new'}
        customer={ref}
        onClose={() => setDrawer(null)}
        onDone={() => {
          setDrawer(null);
          load();
        }}
      />
      <CheckDrawer
        open={drawer === 'check'}
        customerId={customer.id}
        onClose={() => setDrawer(null)}
        onDone={() => {
          setDrawer(null);
          setCheckVersion((v) => v + 1);
          load();
        }}
      />
      <DistributeDrawer
        open={drawer === 'distribute'}
        customerId={customer.id}
        revision={list.revision}
        onClose={() => setDrawer(null)}
        onDone={() => {
          setDrawer(null);
          setDistVersion((v) => v + 1);
        }}
      />
      <ReviseModal
        open={revising}
        list={list}
        customerId={customer.id}
        onClose={() => setRevising(false)}
        onDone={() => {
          setRevising(false);
          load();
          setDistVersion((v) => v + 1);
        }}
      />
    </Flex>
  );
}

/** 发布新版清单: the list's next revision, its PDF filed in the archive. */
function ReviseModal({
  open,
  list,
  customerId,
  onClose,
  onDone,
}: {
  open: boolean;
  list: CustomerSrList;
  customerId: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note?: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (v: { note?: string }) => {
    setSaving(true);
    setError(null);
    try {
      const next = await srApi.revise(customerId, { note: text(v.note) });
      message.success(t('sr.revise.done', { revision: next?.revision ?? list.revision + 1 }));
      onDone();
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t('sr.revise.title', { revision: list.revision + 1 })}
      okText={t('sr.revise.save')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      afterClose={() => {
        form.resetFields();
        setError(null);
      }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t('sr.revise.intro', { count: list.items.length })}
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="note" label={t('sr.revise.note')}>
          <Input.TextArea rows={3} maxLength={1000} placeholder={t('sr.revise.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface CheckValues {
  checkedOn: Dayjs;
  note?: string;
  sources: { documentId: string; publishedVersion?: string; confirmedOn?: Dayjs }[];
}

/** 年度核查 (R-S5): per source document the version the customer publishes today and when that
 * was confirmed; a mismatch with our registered current version shows at once. */
function CheckDrawer({
  open,
  customerId,
  onClose,
  onDone,
}: {
  open: boolean;
  customerId: string;
  onClose: () => void;
  onDone: (c: SrCheckResult) => void;
}) {
  const t = useT();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<CheckValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [state, setState] = useState<SrChecks | null>(null);
  // The cited source documents with our registered current version.
  useEffect(() => {
    if (!open) return;
    let live = true;
    setState(null);
    srApi
      .checks(customerId)
      .then((c) => {
        if (!live) return;
        setState(c);
        form.setFieldsValue({
          checkedOn: dayjs(todayInShanghai()),
          sources: c.sources.map((x) => ({
            documentId: x.document.id,
            publishedVersion: undefined,
            confirmedOn: dayjs(todayInShanghai()),
          })),
        });
      })
      .catch((e) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [open, customerId, form]);
  const values = Form.useWatch('sources', form);
  const rows = state?.sources ?? null;
  const submit = async (v: CheckValues) => {
    setSaving(true);
    setError(null);
    try {
      const check = await srApi.check(customerId, {
        checkedOn: day(v.checkedOn) as string,
        note: text(v.note),
        sources: (v.sources ?? []).map((s) => ({
          documentId: s.documentId,
          publishedVersion: s.publishedVersion?.trim() ?? '',
          confirmedOn: day(s.confirmedOn) as string,
        })),
      });
      const mismatches = check.needsNewVersion ?? [];
      if (mismatches.length)
        modal.warning({
          title: t('sr.check.mismatchTitle', { count: mismatches.length }),
          content: (
            <ul style={{ paddingInlineStart: 20 }}>
              {mismatches.map((s) => (
                <li key={s.id}>
                  {t('sr.check.mismatchLine', {
                    title: s.title,
                    published: s.publishedVersion,
                    registered: s.registeredVersion ?? '—',
                  })}
                </li>
              ))}
            </ul>
          ),
        });
      else message.success(t('sr.check.done', { date: check.nextCheckOn }));
      onDone(check);
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <FormDrawer
      open={open}
      title={t('sr.check.title')}
      size={720}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => {
        form.resetFields();
        setError(null);
      }}
      saveText={t('sr.check.save')}
    >
      <Typography.Paragraph type="secondary">{t('sr.check.intro')}</Typography.Paragraph>
      {rows === null ? (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      ) : (
        <Form<CheckValues> form={form} layout="vertical" onFinish={submit}>
          <Form.Item name="checkedOn" label={t('sr.check.checkedOn')} rules={[{ required: true }]}>
            <DatePicker allowClear={false} disabledDate={(d) => d.isAfter(dayjs(todayInShanghai()), 'day')} />
          </Form.Item>
          {rows.length === 0 && (
            <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('sr.check.noSources')} />
          )}
          <Form.List name="sources">
            {(fields) =>
              fields.map((f, i) => {
                const row = rows[i];
                if (!row) return null;
                const published = values?.[i]?.publishedVersion?.trim();
                const mismatch = !!published && published !== (row.registeredVersion ?? '');
                return (
                  <div
                    key={f.key}
                    style={{
                      border: '1px solid #f0f0f0',
                      borderRadius: 6,
                      padding: '12px 12px 0',
                      marginBottom: 12,
                    }}
                  >
                    <Flex justify="space-between" gap={8} wrap style={{ marginBottom: 8 }}>
                      <span>
                        <Link to={`/documents/${row.document.id}`}>
                          {row.document.docNumber ? `${row.document.docNumber} ` : ''}
                          {row.document.title}
                        </Link>
                        <Typography.Text type="secondary">
                          {' '}
                          {t('sr.check.cited', { count: row.requirements })}
                        </Typography.Text>
                      </span>
                      <Typography.Text type="secondary">
                        {t('sr.check.registered', { version: row.registeredVersion ?? '—' })}
                      </Typography.Text>
                    </Flex>
                    <Form.Item name={[f.name, 'documentId']} hidden>
                      <Input />
                    </Form.Item>
                    <Flex gap={12} wrap>
                      <Form.Item
                        name={[f.name, 'publishedVersion']}
                        label={t('sr.check.published')}
                        rules={[{ required: true, whitespace: true }]}
                        style={{ flex: 1, minWidth: 180 }}
                        validateStatus={mismatch ? 'warning' : undefined}
                        help={mismatch ? t('sr.check.mismatchHelp') : undefined}
                      >
                        <Input maxLength={50} placeholder={row.registeredVersion ?? ''} />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'confirmedOn']}
                        label={t('sr.check.confirmedOn')}
                        rules={[{ required: true }]}
                      >
                        <DatePicker allowClear={false} />
                      </Form.Item>
                    </Flex>
                  </div>
                );
              })
            }
          </Form.List>
          <Form.Item name="note" label={t('sr.check.note')}>
            <Input.TextArea rows={3} maxLength={1000} placeholder={t('sr.check.notePlaceholder')} />
          </Form.Item>
        </Form>
      )}
    </FormDrawer>
  );
}

function ChecksSection({ customerId, version }: { customerId: string; version: number }) {
  const t = useT();
  const [items, setItems] = useState<SrCheck[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version asks for a reload
  useEffect(() => {
    srApi
      .checks(customerId)
      .then((r) => {
        setItems(r.checks);
        setError(null);
      })
      .catch((e) => setError(errorText(e)));
  }, [customerId, version]);
  if (error) return <Alert type="error" showIcon title={error} />;
  return (
    <Table<SrCheck>
      rowKey="id"
      size="small"
      loading={items === null}
      dataSource={items ?? []}
      pagination={false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sr.check.empty')} /> }}
      columns={[
        { title: t('sr.check.checkedOn'), dataIndex: 'checkedOn', width: 110 },
        { title: t('sr.check.by'), key: 'by', width: 100, render: (_, c) => c.checkedBy?.name ?? '—' },
        {
          title: t('sr.check.result'),
          key: 'sources',
          render: (_, c) => (
            <Flex vertical gap={4}>
              {c.sources.map((s) => (
                <div key={s.document.id}>
                  {s.matches ? (
                    <CheckCircleOutlined style={{ color: '#52c41a' }} />
                  ) : (
                    <WarningOutlined style={{ color: '#cf1322' }} />
                  )}{' '}
                  <Link to={`/documents/${s.document.id}`}>{s.document.title}</Link>{' '}
                  <Typography.Text type={s.matches ? 'secondary' : 'danger'}>
                    {t('sr.check.line', {
                      published: s.publishedVersion,
                      registered: s.registeredVersion ?? '—',
                      date: s.confirmedOn,
                    })}
                  </Typography.Text>
                </div>
              ))}
              {c.sources.length === 0 && (
                <Typography.Text type="secondary">{t('sr.check.noSourcesShort')}</Typography.Text>
              )}
            </Flex>
          ),
        },
        { title: t('sr.check.note'), dataIndex: 'note', width: 200, render: (v: string | null) => v ?? '' },
      ]}
    />
  );
}

/** Distributions of the customer's requirements and list revisions, with who has not acknowledged. */
function DistributionsSection({ customerId, version }: { customerId: string; version: number }) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [items, setItems] = useState<Distribution[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const load = useCallback(() => {
    srApi
      .distributions(customerId)
      .then((r) => {
        setItems(r.items);
        setError(null);
      })
      .catch((e) => {
        // The server has no list of a customer's distributions yet.
        if (isApiError(e) && (e.status === 404 || e.status === 405)) setUnavailable(true);
        else setError(errorText(e));
      });
  }, [customerId]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version asks for a reload
  useEffect(() => {
    load();
  }, [load, version]);
  const remind = async (d: Distribution) => {
    try {
      const next = await srApi.remind(d.id);
      setItems((prev) => prev?.map((x) => (x.id === d.id ? next : x)) ?? null);
      message.success(t('sr.dist.reminded', { count: next.pending }));
    } catch (e) {
      message.error(errorText(e));
    }
  };
  if (unavailable) return <Alert type="info" showIcon title={t('sr.dist.unavailable')} />;
  if (error) return <Alert type="error" showIcon title={error} />;
  return (
    <Table<Distribution>
      rowKey="id"
      size="small"
      loading={items === null}
      dataSource={items ?? []}
      pagination={false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sr.dist.empty')} /> }}
      expandable={{
        expandedRowRender: (d) => (
          <Table
            rowKey={(x) => x.user.id}
            size="small"
            pagination={false}
            dataSource={d.recipients}
            columns={[
              { title: t('sr.dist.person'), key: 'user', render: (_, x) => x.user.name },
              { title: t('sr.dist.department'), key: 'dept', render: (_, x) => x.department?.name ?? '—' },
              {
                title: t('sr.dist.ack'),
                key: 'ack',
                render: (_, x) =>
                  x.acknowledgedAt ? (
                    <Tag color="success">
                      {x.kind ? label(SR_ACK_KIND_LABELS[x.kind]) : ''} {formatDateTime(x.acknowledgedAt)}
                    </Tag>
                  ) : (
                    <Tag color="warning">
                      {t('sr.dist.notYet')}
                      {x.remindedAt
                        ? ` · ${t('sr.dist.remindedAt', { at: formatDateTime(x.remindedAt) })}`
                        : ''}
                    </Tag>
                  ),
              },
              { title: t('sr.dist.note'), key: 'note', render: (_, x) => x.note ?? '' },
            ]}
          />
        ),
      }}
      columns={[
        {
          title: t('sr.dist.what'),
          key: 'what',
          render: (_, d) =>
            d.requirement ? (
              <Link to={`/special-requirements/${d.requirement.id}`}>
                {d.requirement.number} {d.requirement.title}
              </Link>
            ) : (
              t('sr.dist.wholeList', { revision: d.listRevision ?? '—' })
            ),
        },
        {
          title: t('sr.distribute.ackKind'),
          key: 'kind',
          width: 80,
          render: (_, d) => label(SR_ACK_KIND_LABELS[d.ackKind]),
        },
        {
          title: t('sr.dist.at'),
          key: 'at',
          width: 170,
          render: (_, d) => `${formatDateTime(d.distributedAt)} ${d.distributedBy?.name ?? ''}`,
        },
        {
          title: t('sr.dist.pending'),
          key: 'pending',
          width: 160,
          render: (_, d) =>
            d.pending ? (
              <Tooltip
                title={d.recipients
                  .filter((x) => !x.acknowledgedAt)
                  .map((x) => x.user.name)
                  .join('、')}
              >
                <Tag color="warning" data-testid="sr-dist-pending">
                  {t('sr.dist.pendingCount', { count: d.pending, total: d.recipients.length })}
                </Tag>
              </Tooltip>
            ) : (
              <Tag color="success">{t('sr.dist.allDone', { total: d.recipients.length })}</Tag>
            ),
        },
        {
          title: t('common.actions'),
          key: 'act',
          width: 200,
          render: (_, d) => (
            <Flex gap={4} wrap>
              {d.can.remind && d.pending > 0 && (
                <Button size="small" icon={<BellOutlined />} onClick={() => remind(d)}>
                  {t('sr.dist.remind')}
                </Button>
              )}
              <FileLink size="small" icon={<PrinterOutlined />} href={srApi.recordUrl(d.id)} inline>
                {t('sr.dist.record')}
              </FileLink>
            </Flex>
          ),
        },
      ]}
    />
  );
}
