import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { SECRECY_LABELS } from '../../../common/enums';
import {
  type DocumentCategory,
  type DocumentSettings,
  ENCRYPTION_THRESHOLDS,
} from '../../../common/schemas/documents';
import { errorText, formErrorText } from '../../api/client';
import { type CategoryInput, documentConfigApi } from '../../api/documents';
import { DepartmentSelect, useDepartments } from '../../components/departments';
import { FormDrawer } from '../../components/FormDrawer';
import { PageContainer } from '../../components/PageContainer';
import { useLabel, useT } from '../../i18n';
import { forgetDocumentSettings, useCategories, useRetention } from './shared';

type Values = CategoryInput & { code: string };

/** 文件类别配置 /admin/document-config: the categories of R-D2 and what each one decides. */
export default function CategoryConfigPage() {
  const t = useT();
  const { message } = App.useApp();
  const categories = useCategories();
  const retention = useRetention();
  const departments = useDepartments();
  const [editing, setEditing] = useState<DocumentCategory | 'new' | null>(null);
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const yes = (v: boolean) => (v ? <Tag color="blue">{t('common.yes')}</Tag> : null);
  const current = editing && editing !== 'new' ? editing : null;

  const onFinish = async ({ code, ...body }: Values) => {
    setSaving(true);
    setError(null);
    try {
      await documentConfigApi.putCategory(current?.code ?? code, body);
      message.success(t('documents.config.saved'));
      await categories.reload();
      setEditing(null);
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <PageContainer
      title={t('documents.config.title')}
      subTitle={t('documents.config.intro')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('documents.config.add')}
        </Button>
      }
    >
      <SettingsCard />
      <Card>
        <Table<DocumentCategory>
          rowKey="code"
          size="middle"
          pagination={false}
          dataSource={categories.categories}
          scroll={{ x: 1100 }}
          columns={[
            {
              title: t('documents.config.name'),
              dataIndex: 'name',
              render: (v: string, c) => (
                <span>
                  {v}
                  <Typography.Text type="secondary"> {c.code}</Typography.Text>
                </span>
              ),
            },
            { title: t('documents.config.external'), dataIndex: 'external', width: 90, render: yes },
            {
              title: t('documents.config.customerDocuments'),
              dataIndex: 'customerDocuments',
              width: 110,
              render: yes,
            },
            { title: t('documents.config.shared'), dataIndex: 'shared', width: 120, render: yes },
            { title: t('documents.config.archiveClass'), dataIndex: 'archiveClass', width: 90 },
            {
              title: t('documents.config.retention'),
              dataIndex: 'retention',
              width: 110,
              render: (v: string) => retention.label(v),
            },
            {
              title: t('documents.config.department'),
              dataIndex: 'departmentName',
              width: 130,
              render: (v: string | null) => v ?? <Typography.Text type="secondary">—</Typography.Text>,
            },
            {
              title: t('documents.config.distribution'),
              dataIndex: 'distribution',
              width: 180,
              ellipsis: true,
              render: (ids: string[]) =>
                ids.length ? (
                  ids.map((id) => departments.items.find((d) => d.id === id)?.name ?? id).join('、')
                ) : (
                  <Typography.Text type="secondary">—</Typography.Text>
                ),
            },
            {
              title: t('documents.config.active'),
              dataIndex: 'active',
              width: 70,
              render: (v: boolean) =>
                v ? t('common.yes') : <Typography.Text type="secondary">{t('common.no')}</Typography.Text>,
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 90,
              render: (_, c) => (
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(c)}>
                  {t('common.edit')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <FormDrawer
        open={editing !== null}
        title={current ? `${t('documents.config.edit')}：${current.name}` : t('documents.config.add')}
        size={560}
        form={form}
        saving={saving}
        error={error}
        onClose={() => setEditing(null)}
        afterClose={() => setError(null)}
      >
        <Form<Values>
          name="category"
          form={form}
          layout="vertical"
          onFinish={onFinish}
          preserve={false}
          key={current?.code ?? 'new'}
          initialValues={
            current
              ? { ...current, nameEn: current.nameEn ?? '' }
              : { external: true, retention: 'D30', archiveClass: 'WS', sortOrder: 100, active: true }
          }
        >
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item
                name="code"
                label={t('documents.config.code')}
                extra={t('documents.config.codeHelp')}
                rules={[{ required: !current }]}
              >
                <Input disabled={!!current} maxLength={40} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="archiveClass"
                label={t('documents.config.archiveClass')}
                rules={[{ required: true }]}
              >
                <Input maxLength={4} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="name"
                label={t('documents.config.name')}
                rules={[{ required: true, whitespace: true }]}
              >
                <Input maxLength={100} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="nameEn" label={t('documents.config.nameEn')}>
                <Input maxLength={100} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="retention" label={t('documents.config.retention')}>
                <Select options={retention.options} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="departmentId" label={t('documents.config.department')}>
                <DepartmentSelect departments={departments.items} />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item
                name="distribution"
                label={t('documents.config.distribution')}
                extra={t('documents.config.distributionHelp')}
              >
                <DepartmentSelect departments={departments.items} multiple />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="external" valuePropName="checked">
            <Checkbox>{t('documents.config.external')}</Checkbox>
          </Form.Item>
          <Form.Item
            name="customerDocuments"
            valuePropName="checked"
            extra={t('documents.config.customerDocumentsHelp')}
          >
            <Checkbox>{t('documents.config.customerDocuments')}</Checkbox>
          </Form.Item>
          <Form.Item name="shared" valuePropName="checked" extra={t('documents.config.sharedHelp')}>
            <Checkbox>{t('documents.config.shared')}</Checkbox>
          </Form.Item>
          <Form.Item name="approval" valuePropName="checked" extra={t('documents.config.approvalHelp')}>
            <Checkbox>{t('documents.config.approval')}</Checkbox>
          </Form.Item>
          <Form.Item
            name="countersign"
            label={t('documents.config.countersign')}
            extra={t('documents.config.countersignHelp')}
          >
            <DepartmentSelect departments={departments.items} multiple />
          </Form.Item>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="sortOrder" label={t('documents.config.sortOrder')}>
                <InputNumber min={0} max={10000} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="active" label={t('documents.config.active')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </FormDrawer>
    </PageContainer>
  );
}

/** 档号、保管期限与加密: the fonds code and the archive number pattern (R-D7), the retention periods in
 * use, and the secrecy level from which files are stored encrypted. */
function SettingsCard() {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm<DocumentSettings>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    documentConfigApi
      .settings()
      .then((s) => form.setFieldsValue(s))
      .catch((e) => setError(errorText(e)));
  }, [form]);
  return (
    <Card title={t('documents.settings.title')}>
      {error && <Alert type="error" title={error} style={{ marginBottom: 16 }} />}
      <Form<DocumentSettings>
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          setSaving(true);
          setError(null);
          try {
            form.setFieldsValue(await documentConfigApi.putSettings(v));
            forgetDocumentSettings();
            message.success(t('documents.settings.saved'));
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Row gutter={16} align="bottom">
          <Col xs={24} md={6}>
            <Form.Item name="fondsCode" label={t('documents.settings.fonds')} rules={[{ required: true }]}>
              <Input maxLength={12} />
            </Form.Item>
          </Col>
          <Col xs={24} md={14}>
            <Form.Item
              name="archiveNoPattern"
              label={t('documents.settings.pattern')}
              extra={t('documents.settings.patternHelp')}
              rules={[{ required: true }]}
            >
              <Input maxLength={80} />
            </Form.Item>
          </Col>
          <Col xs={24} md={20}>
            <Form.Item
              name="retentionPeriods"
              label={t('documents.settings.retention')}
              extra={t('documents.settings.retentionHelp')}
              rules={[{ required: true }]}
            >
              <Select mode="tags" tokenSeparators={[',', '，', ' ']} />
            </Form.Item>
          </Col>
          <Col xs={24} md={20}>
            <Form.Item
              name="encryptionThreshold"
              label={t('documents.settings.encryption')}
              extra={t('documents.settings.encryptionHelp')}
              rules={[{ required: true }]}
            >
              <Select
                style={{ maxWidth: 240 }}
                options={ENCRYPTION_THRESHOLDS.map((s) => ({
                  value: s,
                  label: t('documents.settings.encryptionFrom', { level: label(SECRECY_LABELS[s]) }),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={4}>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={saving}>
                {t('common.save')}
              </Button>
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Card>
  );
}
