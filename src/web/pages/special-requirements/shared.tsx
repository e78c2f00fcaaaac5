import { ClockCircleOutlined, SyncOutlined } from '@ant-design/icons';
import {
  App,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  Radio,
  Select,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import type {
  Distribution,
  Requirement,
  RequirementSummary,
  SrConfig,
} from '../../../common/schemas/special-requirements';
import {
  DEFAULT_SR_CATEGORIES,
  SR_ACK_KIND_LABELS,
  SR_ACK_KINDS,
  SR_STATUS_LABELS,
  type SrAckKind,
  type SrStatus,
} from '../../../common/special-requirements';
import { todayInShanghai } from '../../../common/time';
import { formErrorText } from '../../api/client';
import { documentsApi } from '../../api/documents';
import { srApi } from '../../api/special-requirements';
import { useDepartments } from '../../components/departments';
import { FormDrawer } from '../../components/FormDrawer';
import { SecrecyTag } from '../../components/labels';
import { UserSelect } from '../../components/UserSelect';
import { useLabel, useLang, useT } from '../../i18n';
import { CustomerPicker } from '../documents/CustomerPicker';

// What the special requirement pages share: the status and marker tags, the categories and
// settings (GET /api/special-requirements/config),
// the table of requirements, the 新建要求 drawer and the 传达 drawer.

export const text = (s?: string | null) => (s?.trim() ? s.trim() : null);
export const day = (d?: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined);
export const orDash = (v: string | number | null | undefined) =>
  v === null || v === undefined || v === '' ? '—' : v;

const STATUS_COLORS: Record<SrStatus, string> = {
  pending_review: 'warning',
  in_review: 'processing',
  implemented: 'success',
  not_applicable: 'default',
  obsolete: 'default',
};

export function SrStatusTag({ status }: { status: SrStatus }) {
  const label = useLabel();
  return (
    <Tag color={STATUS_COLORS[status]} style={{ marginInlineEnd: 0 }} data-testid="sr-status">
      {status === 'obsolete' ? <s>{label(SR_STATUS_LABELS[status])}</s> : label(SR_STATUS_LABELS[status])}
    </Tag>
  );
}

/** 需复核: a new version of the source document was registered (R-S5). */
export function RecheckTag({ r }: { r: Pick<RequirementSummary, 'needsRecheck' | 'recheckReason'> }) {
  const t = useT();
  if (!r.needsRecheck) return null;
  return (
    <Tooltip title={r.recheckReason ?? t('sr.recheck.tooltip')}>
      <Tag color="orange" icon={<SyncOutlined />} style={{ marginInlineEnd: 0 }} data-testid="sr-recheck">
        {t('sr.recheck.tag')}
      </Tag>
    </Tooltip>
  );
}

/** The 1-working-day clock of a requirement received after mass production. */
export function ProjectClockTag({ r }: { r: RequirementSummary }) {
  const t = useT();
  if (!r.afterMassProduction) return null;
  if (r.projectInformedAt)
    return (
      <Tooltip title={t('sr.project.informedAt', { at: r.projectInformedAt.slice(0, 16).replace('T', ' ') })}>
        <Tag color="success" style={{ marginInlineEnd: 0 }}>
          {t('sr.project.informed')}
        </Tag>
      </Tooltip>
    );
  if (!r.projectDueOn) return null;
  return (
    <Tooltip title={t('sr.project.help')}>
      <Tag
        color={r.projectOverdue ? 'error' : r.projectDueOn === todayInShanghai() ? 'warning' : 'processing'}
        icon={<ClockCircleOutlined />}
        style={{ marginInlineEnd: 0 }}
        data-testid="sr-project-clock"
      >
        {r.projectOverdue
          ? t('sr.project.overdue', { date: r.projectDueOn })
          : t('sr.project.due', { date: r.projectDueOn })}
      </Tag>
    </Tooltip>
  );
}

let cachedConfig: Promise<SrConfig> | null = null;

/** The categories and settings (GET /api/special-requirements/config), loaded once per page
 * load; `set` after a change on the settings page. */
export function useSrConfig() {
  const [config, setConfig] = useState<SrConfig | null>(null);
  useEffect(() => {
    if (!cachedConfig)
      cachedConfig = srApi.config().catch((e) => {
        cachedConfig = null;
        throw e;
      });
    cachedConfig.then(setConfig).catch(() => {});
  }, []);
  const set = useCallback((next: SrConfig) => {
    cachedConfig = Promise.resolve(next);
    setConfig(next);
  }, []);
  return { config, set };
}

/** Categories (the configurable list 'sr_category'); a default kept under its own name shows in
 * English when the page is English. */
export function useSrCategories() {
  const { config } = useSrConfig();
  const { lang } = useLang();
  const label = useLabel();
  return useMemo(() => {
    const defaults = new Map(DEFAULT_SR_CATEGORIES.map((c) => [c.code, c.label]));
    const nameOf = (c: { code: string; label: string }) => {
      const d = defaults.get(c.code);
      return lang === 'en' && d && d.zh === c.label ? d.en : c.label;
    };
    const all = (config?.categories ?? []).map((c) => ({ ...c, name: nameOf(c) }));
    const names = new Map(all.map((c) => [c.code, c.name]));
    for (const [code, l] of defaults) if (!names.has(code)) names.set(code, label(l));
    return {
      options: all.filter((c) => c.active).map((c) => ({ value: c.code, label: c.name })),
      name: (code: string) => names.get(code) ?? code,
    };
  }, [config, lang, label]);
}

/** 全部, or the part numbers as tags. */
export function AppliesTo({
  r,
  max = 4,
}: {
  r: Pick<RequirementSummary, 'appliesToAll' | 'partNumbers'>;
  max?: number;
}) {
  const t = useT();
  if (r.appliesToAll || r.partNumbers.length === 0) return <Tag color="blue">{t('sr.appliesToAll')}</Tag>;
  const shown = r.partNumbers.slice(0, max);
  return (
    <Flex gap={4} wrap>
      {shown.map((p) => (
        <Tag key={p} style={{ marginInlineEnd: 0 }}>
          {p}
        </Tag>
      ))}
      {r.partNumbers.length > max && (
        <Tooltip title={r.partNumbers.slice(max).join('、')}>
          <Tag style={{ marginInlineEnd: 0 }}>+{r.partNumbers.length - max}</Tag>
        </Tooltip>
      )}
    </Flex>
  );
}

export function SourceText({ source }: { source: RequirementSummary['source'] }) {
  const t = useT();
  if (!source) return <Typography.Text type="secondary">{t('sr.source.none')}</Typography.Text>;
  return (
    <span>
      <Link to={`/documents/${source.documentId}`}>
        {source.docNumber ? `${source.docNumber} ` : ''}
        {source.title}
      </Link>
      {source.versionLabel && <Typography.Text type="secondary"> {source.versionLabel}</Typography.Text>}
      {source.clause && <span> · {source.clause}</span>}
    </span>
  );
}

/** The table of requirements (the cross-customer list and the customer's tab). */
export function SrTable({
  items,
  loading,
  empty,
  showCustomer = true,
}: {
  items: RequirementSummary[];
  loading: boolean;
  empty: ReactNode;
  showCustomer?: boolean;
}) {
  const t = useT();
  const categories = useSrCategories();
  return (
    <Table<RequirementSummary>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={items}
      pagination={false}
      // Fits a 1280 px screen without scrolling: the source and the received date sit under
      // the requirement and the number; the number stays in view when a narrow screen scrolls.
      scroll={{ x: showCustomer ? 980 : 840 }}
      locale={{ emptyText: <Empty description={empty} /> }}
      columns={[
        {
          title: t('sr.field.number'),
          key: 'number',
          width: 170,
          fixed: 'left',
          render: (_, r) => (
            <Flex vertical gap={2} align="flex-start">
              <Link to={`/special-requirements/${r.id}`} data-testid="sr-link">
                {r.number}
              </Link>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('sr.receivedShort', { date: r.receivedOn })}
              </Typography.Text>
              {r.secrecy !== 'normal' && <SecrecyTag level={r.secrecy} />}
            </Flex>
          ),
        },
        ...(showCustomer
          ? [
              {
                title: t('sr.field.customer'),
                key: 'customer',
                width: 140,
                render: (_: unknown, r: RequirementSummary) => (
                  <Flex vertical gap={2}>
                    <Link to={`/special-requirements/customers/${r.customer.id}`}>{r.customer.name}</Link>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.customer.code}
                    </Typography.Text>
                  </Flex>
                ),
              },
            ]
          : []),
        {
          title: t('common.status'),
          key: 'status',
          width: 120,
          render: (_, r) => (
            <Flex vertical gap={4} align="flex-start">
              <SrStatusTag status={r.status} />
              <RecheckTag r={r} />
              <ProjectClockTag r={r} />
              {(r.openActions > 0 || r.pendingDocuments > 0) && r.status === 'in_review' && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('sr.openWork', { actions: r.openActions, documents: r.pendingDocuments })}
                </Typography.Text>
              )}
            </Flex>
          ),
        },
        {
          title: t('sr.field.category'),
          key: 'category',
          width: 100,
          render: (_, r) => categories.name(r.category),
        },
        {
          title: `${t('sr.field.requirement')} / ${t('sr.field.source')}`,
          key: 'text',
          render: (_, r) => (
            <div style={{ minWidth: 240 }}>
              <Typography.Text strong>{r.title}</Typography.Text>
              <Typography.Paragraph
                type="secondary"
                ellipsis={{ rows: 2, tooltip: r.text }}
                style={{ margin: 0 }}
              >
                {r.text}
              </Typography.Paragraph>
              <div style={{ fontSize: 12, marginTop: 2 }}>
                <SourceText source={r.source} />
              </div>
            </div>
          ),
        },
        {
          title: t('sr.field.appliesTo'),
          key: 'applies',
          width: 110,
          render: (_, r) => <AppliesTo r={r} max={3} />,
        },
        {
          title: t('sr.field.ownerDepartment'),
          key: 'dept',
          width: 100,
          render: (_, r) => orDash(r.ownerDepartment?.name),
        },
      ]}
    />
  );
}

interface NewValues {
  customerId?: string;
  sourceDocumentId?: string;
  sourceClause?: string;
  category?: string;
  title?: string;
  text?: string;
  receivedOn?: Dayjs;
  partNumbers?: string[];
  ownerDepartmentId?: string;
  afterMassProduction?: boolean;
}

/** The customer's registered documents, for the source select (customer-supplied first). */
export function useCustomerDocuments(customerId: string | undefined) {
  const [items, setItems] = useState<{ value: string; label: string }[]>([]);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    if (!customerId) {
      setItems([]);
      return;
    }
    let live = true;
    setLoading(true);
    documentsApi
      .list({ customerId, status: 'current' }, null, 200)
      .then((page) => {
        if (!live) return;
        setItems(
          page.items.map((d) => ({
            value: d.id,
            label: `${d.docNumber ? `${d.docNumber} ` : ''}${d.title}${d.versionLabel ? `（${d.versionLabel}）` : ''} · ${d.categoryName}`,
          })),
        );
      })
      .catch(() => live && setItems([]))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [customerId]);
  return { items, loading };
}

/** 新建特殊要求: from the cross-customer list (customer to pick) or from the customer's tab. */
export function NewRequirementDrawer({
  open,
  customer,
  onClose,
  onDone,
}: {
  open: boolean;
  /** Fixed when opened from the customer's tab. */
  customer?: { id: string; archiveCode: string; name: string } | null;
  onClose: () => void;
  onDone: (r: Requirement) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<NewValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const categories = useSrCategories();
  const departments = useDepartments();
  const picked = Form.useWatch('customerId', form);
  const customerId = customer?.id ?? picked;
  const documents = useCustomerDocuments(customerId);
  const submit = async (v: NewValues) => {
    if (!customerId) return;
    setSaving(true);
    setError(null);
    try {
      const r = await srApi.create({
        customerId,
        sourceDocumentId: v.sourceDocumentId ?? null,
        sourceClause: text(v.sourceClause),
        category: v.category ?? '',
        title: v.title ?? '',
        text: v.text ?? '',
        receivedOn: day(v.receivedOn) as string,
        partNumbers: (v.partNumbers ?? []).map((p) => p.trim()).filter(Boolean),
        ownerDepartmentId: v.ownerDepartmentId ?? null,
        afterMassProduction: !!v.afterMassProduction,
      });
      message.success(t('sr.new.done', { number: r.number }));
      onDone(r);
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <FormDrawer
      open={open}
      title={customer ? `${t('sr.new.title')} · ${customer.name}` : t('sr.new.title')}
      size={600}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => {
        form.resetFields();
        setError(null);
      }}
      saveText={t('sr.new.save')}
    >
      <Form<NewValues>
        name="newRequirement"
        form={form}
        layout="vertical"
        onFinish={submit}
        autoComplete="off"
        initialValues={{
          receivedOn: dayjs(todayInShanghai()),
          category: categories.options[0]?.value,
          partNumbers: [],
          afterMassProduction: false,
        }}
      >
        {!customer && (
          <Form.Item name="customerId" label={t('sr.field.customer')} rules={[{ required: true }]}>
            <CustomerPicker
              placeholder={t('sr.new.customerPlaceholder')}
              onChange={() => form.setFieldValue('sourceDocumentId', undefined)}
            />
          </Form.Item>
        )}
        <Form.Item
          name="sourceDocumentId"
          label={t('sr.field.sourceDocument')}
          extra={t('sr.new.sourceHelp')}
        >
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={documents.loading}
            disabled={!customerId}
            options={documents.items}
            placeholder={customerId ? t('sr.new.sourcePlaceholder') : t('sr.new.pickCustomerFirst')}
            notFoundContent={customerId ? t('sr.new.noDocuments') : undefined}
          />
        </Form.Item>
        <Form.Item name="sourceClause" label={t('sr.field.clause')}>
          <Input maxLength={200} placeholder={t('sr.new.clausePlaceholder')} />
        </Form.Item>
        <Form.Item name="category" label={t('sr.field.category')} rules={[{ required: true }]}>
          <Select options={categories.options} />
        </Form.Item>
        <Form.Item name="title" label={t('sr.field.title')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} placeholder={t('sr.new.titlePlaceholder')} />
        </Form.Item>
        <Form.Item name="text" label={t('sr.field.text')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea
            maxLength={5000}
            autoSize={{ minRows: 4, maxRows: 10 }}
            placeholder={t('sr.new.textPlaceholder')}
          />
        </Form.Item>
        <Form.Item name="receivedOn" label={t('sr.field.receivedOn')} rules={[{ required: true }]}>
          <DatePicker
            style={{ width: '100%' }}
            allowClear={false}
            disabledDate={(d) => d.isAfter(dayjs(todayInShanghai()), 'day')}
          />
        </Form.Item>
        <Form.Item name="partNumbers" label={t('sr.field.partNumbers')} extra={t('sr.new.partNumbersHelp')}>
          <Select
            mode="tags"
            tokenSeparators={[',', '，', ' ', ';', '；']}
            open={false}
            placeholder={t('sr.appliesToAll')}
          />
        </Form.Item>
        <Form.Item name="ownerDepartmentId" label={t('sr.field.ownerDepartment')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={departments.loading}
            options={departments.items.filter((d) => d.active).map((d) => ({ value: d.id, label: d.name }))}
          />
        </Form.Item>
        <Form.Item
          name="afterMassProduction"
          label={t('sr.field.afterMassProduction')}
          valuePropName="checked"
          extra={t('sr.new.afterMassProductionHelp')}
        >
          <Switch />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

interface DistributeValues {
  ackKind: SrAckKind;
  departmentIds?: string[];
  userIds?: string[];
  note?: string;
}

/** 传达: a requirement, or (without one) the customer's whole list at its current revision. */
export function DistributeDrawer({
  open,
  customerId,
  requirement,
  revision,
  onClose,
  onDone,
}: {
  open: boolean;
  customerId: string;
  requirement?: { id: string; number: string } | null;
  revision?: number;
  onClose: () => void;
  onDone: (d: Distribution) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<DistributeValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const departments = useDepartments();
  const submit = async (v: DistributeValues) => {
    setSaving(true);
    setError(null);
    try {
      const d = await srApi.distribute({
        customerId,
        requirementId: requirement?.id ?? null,
        ackKind: v.ackKind,
        departmentIds: v.departmentIds ?? [],
        userIds: v.userIds ?? [],
        note: text(v.note),
      });
      message.success(t('sr.distribute.done', { count: d.recipients.length }));
      if (d.skipped?.length)
        modal.warning({
          title: t('sr.distribute.skippedTitle'),
          content: (
            <ul style={{ paddingInlineStart: 20 }}>
              {d.skipped.map((x) => (
                <li key={x.user.id}>{t(`sr.distribute.skipped.${x.reason}`, { name: x.user.name })}</li>
              ))}
            </ul>
          ),
        });
      onDone(d);
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <FormDrawer
      open={open}
      title={
        requirement
          ? t('sr.distribute.titleOne', { number: requirement.number })
          : t('sr.distribute.titleList', { revision: revision ?? 0 })
      }
      size={560}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => {
        form.resetFields();
        setError(null);
      }}
      saveText={t('sr.distribute.save')}
    >
      <Typography.Paragraph type="secondary">{t('sr.distribute.intro')}</Typography.Paragraph>
      <Form<DistributeValues>
        name="distribute"
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ ackKind: 'read', departmentIds: [], userIds: [] }}
      >
        <Form.Item name="ackKind" label={t('sr.distribute.ackKind')} extra={t('sr.distribute.ackKindHelp')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={SR_ACK_KINDS.map((k) => ({ value: k, label: label(SR_ACK_KIND_LABELS[k]) }))}
          />
        </Form.Item>
        <Form.Item
          name="departmentIds"
          label={t('sr.distribute.departments')}
          extra={t('sr.distribute.departmentsHelp')}
        >
          <Select
            mode="multiple"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={departments.loading}
            options={departments.items.filter((d) => d.active).map((d) => ({ value: d.id, label: d.name }))}
          />
        </Form.Item>
        <Form.Item name="userIds" label={t('sr.distribute.people')}>
          <UserSelect multiple allowClear />
        </Form.Item>
        <Form.Item name="note" label={t('sr.distribute.note')}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
