import {
  CheckCircleOutlined,
  EditOutlined,
  KeyOutlined,
  MergeCellsOutlined,
  MoreOutlined,
  PauseCircleOutlined,
  PlayCircleOutlined,
  ReloadOutlined,
  RollbackOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Dropdown,
  Flex,
  Form,
  Input,
  type MenuProps,
  Modal,
  Result,
  Space,
  Tabs,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { Contact, Customer } from '../../../common/schemas/customers';
import { formatDateTime } from '../../../common/time';
import { errorText, isApiError } from '../../api/client';
import { customersApi } from '../../api/customers';
import { SecrecyTag } from '../../components/labels';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { type MessageKey, useT } from '../../i18n';
import { CustomerCasesTab } from '../cases/CustomerCasesTab';
import { CustomerCreditTab } from '../credit/CustomerCreditTab';
import { CustomerDocumentsTab } from '../documents/CustomerDocumentsTab';
import { LendingHistory } from '../lending/shared';
import { CustomerOrdersTab } from '../orders/CustomerOrdersTab';
import { HoldAlerts, HoldButton } from '../retention/shared';
import { CustomerSrTab } from '../special-requirements/CustomerSrTab';
import { CustomerVisitsTab } from '../visits/CustomerVisitsTab';
import { ContactsTab } from './ContactsTab';
import { CustomerInfo } from './CustomerInfo';
import { GrantsDrawer } from './GrantsDrawer';
import { HistoryTab } from './HistoryTab';
import { InteractionsTab } from './InteractionsTab';
import { MergeModal } from './MergeModal';
import { ProjectsTab } from './ProjectsTab';
import {
  ArchiveCode,
  CustomerNotFound,
  CustomerStatusTag,
  isNotFound,
  OwnerNames,
  orDash,
  useCustomerConfig,
  useLookups,
} from './shared';

const TABS = [
  'info',
  'contacts',
  'interactions',
  'history',
  'files',
  'projects',
  'lending',
  'complaints',
  'visits',
  'special',
  'contracts',
  'credit',
] as const;
type TabKey = (typeof TABS)[number];

/** 客户档案 /customers/:id: header with actions and warnings, then the archive in tabs. */
export default function CustomerDetailPage() {
  const { id = '' } = useParams();
  const t = useT();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const [params, setParams] = useSearchParams();
  const { config } = useCustomerConfig();
  const lookups = useLookups(config);
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [contacts, setContacts] = useState<Contact[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [statusModal, setStatusModal] = useState<'deactivate' | 'reactivate' | null>(null);
  const [returnOpen, setReturnOpen] = useState(false);
  const [mergeOpen, setMergeOpen] = useState(false);
  const [grantsOpen, setGrantsOpen] = useState(false);
  // Bumped after changes so that the history tab shows them.
  const [version, setVersion] = useState(0);
  const tabParam = params.get('tab') as TabKey | null;
  const tab: TabKey = tabParam && TABS.includes(tabParam) ? tabParam : 'info';

  const load = useCallback(async () => {
    try {
      const [c, k] = await Promise.all([customersApi.get(id), customersApi.contacts(id)]);
      setCustomer(c);
      setContacts(k.items);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [id]);

  useEffect(() => {
    setCustomer(null);
    setContacts(null);
    setError(null);
    load();
  }, [load]);

  const changed = (c?: Customer) => {
    if (c) setCustomer(c);
    else load();
    setVersion((v) => v + 1);
  };

  if (isNotFound(error)) return <CustomerNotFound />;
  if (error && !customer) {
    return (
      <Result
        status="error"
        title={errorText(error)}
        extra={
          <Button type="primary" onClick={load}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  if (!customer) {
    return (
      <PageContainer title={t('customers.detail')}>
        <PageSpin />
      </PageContainer>
    );
  }

  const c = customer;
  const editable = c.can.update;
  // 备案审批 on: 备案 submits the archive to the sales director.
  const approval = !!config?.settings.filingApproval;
  const pending = c.status === 'draft' && !!c.filing.submittedAt;

  const approve = () =>
    modal.confirm({
      title: t('customers.approveFilingTitle', { name: c.name }),
      content: t('customers.approveFilingContent'),
      okText: t('customers.approveFiling'),
      onOk: async () => {
        try {
          changed(await customersApi.approveFiling(c.id));
          message.success(t('customers.filingApproved'));
        } catch (e) {
          message.error(errorText(e));
        }
      },
    });

  const file = () =>
    modal.confirm({
      title: t(approval ? 'customers.submitFilingTitle' : 'customers.fileConfirmTitle', { name: c.name }),
      content: t(approval ? 'customers.submitFilingContent' : 'customers.fileConfirmContent'),
      okText: t(approval ? 'customers.submitFiling' : 'customers.file'),
      onOk: async () => {
        setBusy(true);
        try {
          const after = await customersApi.file(c.id);
          changed(after);
          message.success(t(after.status === 'filed' ? 'customers.filed' : 'customers.filingSubmitted'));
        } catch (e) {
          if (isApiError(e) && e.code === 'filing_incomplete') {
            modal.confirm({
              type: 'warning',
              title: t('customers.cannotFileTitle'),
              content: e.title,
              okText: t('customers.goComplete'),
              cancelText: t('common.close'),
              // Contacts are added on the contacts tab, everything else on the edit page.
              onOk: () => {
                const missing = e.errors.map((x) => x.field);
                if (missing.length === 1 && missing[0] === 'contacts') setParams({ tab: 'contacts' });
                else navigate(`/customers/${c.id}/edit`);
              },
            });
          } else {
            message.error(errorText(e));
          }
        } finally {
          setBusy(false);
        }
      },
    });

  const moreItems: MenuProps['items'] = [
    ...(c.can.deactivate && c.status !== 'inactive'
      ? [{ key: 'deactivate', icon: <PauseCircleOutlined />, label: t('customers.deactivate'), danger: true }]
      : []),
    ...(c.can.deactivate && c.status === 'inactive'
      ? [{ key: 'reactivate', icon: <PlayCircleOutlined />, label: t('customers.reactivate') }]
      : []),
    ...(c.can.merge ? [{ key: 'merge', icon: <MergeCellsOutlined />, label: t('customers.mergeInto') }] : []),
  ];

  const onMore: MenuProps['onClick'] = ({ key }) => {
    if (key === 'deactivate' || key === 'reactivate') setStatusModal(key);
    else if (key === 'merge') setMergeOpen(true);
  };

  const tabLabel = (key: MessageKey, count?: number) =>
    count ? (
      <span>
        {t(key)} <Typography.Text type="secondary">{count}</Typography.Text>
      </span>
    ) : (
      t(key)
    );

  const activeContacts = contacts?.filter((k) => k.active) ?? [];
  const primary = activeContacts.find((k) => k.isPrimary) ?? activeContacts[0];

  return (
    <PageContainer
      title={c.name}
      subTitle={
        <Space size={8} wrap>
          <span>
            {t('customers.field.archiveCode')}
            {t('common.colon')}
            <Typography.Text copyable={{ text: c.archiveCode }} strong>
              <ArchiveCode code={c.archiveCode} />
            </Typography.Text>
          </span>
          <span>
            <CustomerStatusTag status={c.status} overdue={c.filingOverdue} pending={pending} />
          </span>
          {c.secrecy !== 'normal' && <SecrecyTag level={c.secrecy} />}
        </Space>
      }
      extra={
        <>
          <Tooltip title={t('common.refresh')}>
            <Button icon={<ReloadOutlined />} onClick={() => changed()} aria-label={t('common.refresh')} />
          </Tooltip>
          {c.can.grant && (
            <Button icon={<KeyOutlined />} onClick={() => setGrantsOpen(true)}>
              {t('customers.grants')}
            </Button>
          )}
          {c.can.hold && (
            <HoldButton
              targetType="customer"
              targetId={c.id}
              name={`${c.archiveCode} ${c.name}`}
              onDone={changed}
            />
          )}
          {c.can.file && editable && (
            <Button icon={<CheckCircleOutlined />} onClick={file} loading={busy} data-testid="file-button">
              {t(approval ? 'customers.submitFiling' : 'customers.file')}
            </Button>
          )}
          {c.can.decideFiling && (
            <>
              <Button
                icon={<RollbackOutlined />}
                onClick={() => setReturnOpen(true)}
                data-testid="return-filing"
              >
                {t('customers.returnFiling')}
              </Button>
              <Button
                type="primary"
                icon={<CheckCircleOutlined />}
                onClick={approve}
                data-testid="approve-filing"
              >
                {t('customers.approveFiling')}
              </Button>
            </>
          )}
          {moreItems.length > 0 && (
            <Dropdown menu={{ items: moreItems, onClick: onMore }} trigger={['click']}>
              <Button icon={<MoreOutlined />}>{t('common.more')}</Button>
            </Dropdown>
          )}
          {editable && (
            <Button
              type="primary"
              icon={<EditOutlined />}
              onClick={() => navigate(`/customers/${c.id}/edit`)}
            >
              {t('common.edit')}
            </Button>
          )}
        </>
      }
    >
      {c.status === 'merged' && c.mergedInto && (
        <Alert
          type="info"
          showIcon
          title={
            <span>
              {t('customers.mergedInto')}
              <Link to={`/customers/${c.mergedInto.id}`}>{c.mergedInto.archiveCode}</Link>
            </span>
          }
        />
      )}
      {c.status === 'inactive' && <Alert type="info" showIcon title={t('customers.inactiveAlert')} />}
      <HoldAlerts holds={c.holds} canLift={c.can.hold} onChanged={changed} />
      {c.filingOverdue && (
        <Alert
          type="error"
          showIcon
          title={t('customers.overdueAlert', { date: c.filingDueDate })}
          description={t('customers.overdueAlertSub')}
          action={
            editable && c.can.file ? (
              <Button size="small" danger onClick={file}>
                {t(approval ? 'customers.submitFiling' : 'customers.file')}
              </Button>
            ) : undefined
          }
        />
      )}
      {pending && (
        <Alert
          type="info"
          showIcon
          data-testid="filing-pending-alert"
          title={t('customers.filingPendingAlert', {
            name: c.filing.submittedBy ?? '',
            at: formatDateTime(c.filing.submittedAt ?? '').slice(0, 16),
          })}
          description={t('customers.filingPendingSub')}
        />
      )}
      {c.status === 'draft' && !pending && c.filing.returnReason && (
        <Alert
          type="error"
          showIcon
          data-testid="filing-returned-alert"
          title={t('customers.filingReturnedAlert', {
            name: c.filing.returnedBy ?? '',
            at: formatDateTime(c.filing.returnedAt ?? '').slice(0, 16),
          })}
          description={t('customers.filingReturnReason', { reason: c.filing.returnReason })}
        />
      )}
      {c.status === 'draft' && !c.filingOverdue && !pending && (
        <Alert type="warning" showIcon title={t('customers.draftAlert', { date: c.filingDueDate })} />
      )}
      {c.warnings.includes('key_customer_owners') && (
        <Alert
          type="warning"
          showIcon
          title={t('customers.keyOwnersAlert', { count: c.owners.length })}
          action={
            editable ? (
              <Button size="small" onClick={() => navigate(`/customers/${c.id}/edit`)}>
                {t('customers.addOwner')}
              </Button>
            ) : undefined
          }
        />
      )}
      <Card>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3, xl: 4 }}
          items={[
            {
              key: 'category',
              label: t('customers.field.category'),
              children: lookups.label('category', c.category),
            },
            { key: 'kind', label: t('customers.field.kind'), children: lookups.label('kind', c.kind) },
            { key: 'grade', label: t('customers.field.grade'), children: orDash(c.grade) },
            {
              key: 'owners',
              label: t('customers.field.owners'),
              children: <OwnerNames names={c.owners.map((o) => o.name)} />,
            },
            { key: 'dept', label: t('customers.field.department'), children: orDash(c.departmentName) },
            {
              key: 'contact',
              label: t('customers.primaryContact'),
              children: orDash(primary && `${primary.name} ${primary.mobile ?? primary.phone ?? ''}`.trim()),
            },
            { key: 'first', label: t('customers.field.firstContactDate'), children: c.firstContactDate },
            { key: 'updated', label: t('customers.field.updatedAt'), children: formatDateTime(c.updatedAt) },
          ]}
        />
      </Card>
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={tab}
          onChange={(key) => {
            const next = new URLSearchParams(params);
            if (key === 'info') next.delete('tab');
            else next.set('tab', key);
            setParams(next, { replace: true });
          }}
          items={[
            {
              key: 'info',
              label: t('customers.tab.info'),
              children: <CustomerInfo customer={c} config={config} />,
            },
            {
              key: 'contacts',
              label: tabLabel('customers.tab.contacts', activeContacts.length),
              children: (
                <ContactsTab
                  customer={c}
                  contacts={contacts}
                  onChanged={(list) => {
                    setContacts(list);
                    changed();
                  }}
                />
              ),
            },
            {
              key: 'interactions',
              label: t('customers.tab.interactions'),
              children: <InteractionsTab customer={c} onChanged={() => setVersion((v) => v + 1)} />,
            },
            {
              key: 'history',
              label: t('customers.tab.history'),
              children: <HistoryTab customer={c} config={config} version={version} />,
            },
            {
              key: 'files',
              label: t('customers.tab.files'),
              children: <CustomerDocumentsTab customer={c} />,
            },
            {
              key: 'projects',
              label: t('projects.tab'),
              children: <ProjectsTab customer={c} />,
            },
            {
              key: 'lending',
              label: t('lending.tab'),
              children: <LendingHistory targetType="customer" targetId={c.id} />,
            },
            {
              key: 'complaints',
              label: t('customers.tab.complaints'),
              children: <CustomerCasesTab customer={c} />,
            },
            {
              key: 'visits',
              label: t('customers.tab.visits'),
              children: <CustomerVisitsTab customer={c} onChanged={() => setVersion((v) => v + 1)} />,
            },
            {
              key: 'special',
              label: t('customers.tab.special'),
              children: <CustomerSrTab customer={c} />,
            },
            {
              key: 'contracts',
              label: t('customers.tab.contracts'),
              children: <CustomerOrdersTab customer={c} />,
            },
            {
              key: 'credit',
              label: t('credit.tab'),
              children: <CustomerCreditTab customerId={c.id} />,
            },
          ]}
        />
      </Card>
      <ReturnFilingModal
        customer={c}
        open={returnOpen}
        onClose={() => setReturnOpen(false)}
        onDone={(updated) => {
          setReturnOpen(false);
          changed(updated);
        }}
      />
      <StatusModal
        customer={c}
        mode={statusModal}
        onClose={() => setStatusModal(null)}
        onDone={(updated) => {
          setStatusModal(null);
          changed(updated);
        }}
      />
      {c.can.merge && (
        <MergeModal
          open={mergeOpen}
          target={c}
          onClose={() => setMergeOpen(false)}
          onMerged={() => {
            setMergeOpen(false);
            changed();
            load();
          }}
        />
      )}
      {c.can.grant && (
        <GrantsDrawer
          open={grantsOpen}
          customer={c}
          onClose={() => setGrantsOpen(false)}
          onChanged={() => changed()}
        />
      )}
    </PageContainer>
  );
}

/** 退回备案 with the reason the owner is shown and told (required). */
function ReturnFilingModal({
  customer,
  open,
  onClose,
  onDone,
}: {
  customer: Customer;
  open: boolean;
  onClose: () => void;
  onDone: (c: Customer) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (open) setError(null);
  }, [open]);

  const submit = async ({ reason }: { reason: string }) => {
    setSaving(true);
    setError(null);
    try {
      const updated = await customersApi.returnFiling(customer.id, reason.trim());
      message.success(t('customers.filingReturned'));
      onDone(updated);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('customers.returnFilingTitle', { name: customer.name })}
      okText={t('customers.returnFiling')}
      okButtonProps={{ danger: true, loading: saving }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Flex vertical gap={12} style={{ marginTop: 8 }}>
        {error && <Alert type="error" showIcon title={error} />}
        <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
          <Form.Item
            name="reason"
            label={t('customers.returnReason')}
            rules={[{ required: true, whitespace: true, message: t('customers.returnReasonRequired') }]}
            style={{ marginBottom: 0 }}
          >
            <Input.TextArea
              maxLength={500}
              autoSize={{ minRows: 3, maxRows: 6 }}
              autoFocus
              data-testid="return-reason"
            />
          </Form.Item>
        </Form>
      </Flex>
    </Modal>
  );
}

/** 停用 / 启用 with an optional note (kept in the history). */
function StatusModal({
  customer,
  mode,
  onClose,
  onDone,
}: {
  customer: Customer;
  mode: 'deactivate' | 'reactivate' | null;
  onClose: () => void;
  onDone: (c: Customer) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note?: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const deactivate = mode === 'deactivate';

  // A fresh dialog each time (the form itself goes with the dialog: preserve={false}).
  useEffect(() => {
    if (mode) setError(null);
  }, [mode]);

  const submit = async ({ note }: { note?: string }) => {
    setSaving(true);
    setError(null);
    try {
      const updated = deactivate
        ? await customersApi.deactivate(customer.id, note?.trim() || null)
        : await customersApi.reactivate(customer.id, note?.trim() || null);
      message.success(deactivate ? t('customers.deactivated') : t('customers.reactivated'));
      onDone(updated);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={!!mode}
      title={
        deactivate
          ? t('customers.deactivateTitle', { name: customer.name })
          : t('customers.reactivateTitle', { name: customer.name })
      }
      okText={deactivate ? t('customers.deactivate') : t('customers.reactivate')}
      okButtonProps={{ danger: deactivate, loading: saving }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Flex vertical gap={12} style={{ marginTop: 8 }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {deactivate ? t('customers.deactivateContent') : t('customers.reactivateContent')}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} />}
        <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
          <Form.Item name="note" label={t('customers.statusNote')} style={{ marginBottom: 0 }}>
            <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 5 }} autoFocus />
          </Form.Item>
        </Form>
      </Flex>
    </Modal>
  );
}
