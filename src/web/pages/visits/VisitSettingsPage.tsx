import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { CASE_KIND_LABELS, CASE_KINDS } from '../../../common/cases';
import { INTERACTION_KIND_LABELS, INTERACTION_KINDS } from '../../../common/customers';
import type { VisitSettings } from '../../../common/schemas/visits';
import {
  DAY_KIND_LABELS,
  DAY_KINDS,
  VISIT_TRIGGER_LABELS,
  VISIT_TRIGGERS,
  VISIT_WAY_LABELS,
  VISIT_WAYS,
  type VisitRule,
} from '../../../common/visits';
import { errorText } from '../../api/client';
import { visitsApi } from '../../api/visits';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { UserSelect } from '../../components/UserSelect';
import { useLabel, useT } from '../../i18n';

interface RuleForm extends Omit<VisitRule, 'offsets'> {
  offsets: string;
}

const parseOffsets = (s: string) =>
  s
    .split(/[,，、\s]+/)
    .filter(Boolean)
    .map(Number);

/** 回访计划设置 /visits/settings (R-V1): the rules that make visit tasks from events. A change
 * applies to triggers from then on; tasks already planned keep their dates. */
export default function VisitSettingsPage() {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [rules, setRules] = useState<VisitRule[] | null>(null);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [editing, setEditing] = useState<{ index: number | null; rule: VisitRule } | null>(null);
  const [form] = Form.useForm<RuleForm>();
  const editable = can('visit.configure');
  const load = (s: VisitSettings) => {
    setRules(s.rules);
    setDirty(false);
  };
  useEffect(() => {
    visitsApi
      .settings()
      .then((s) => setRules(s.rules))
      .catch((e) => setError(errorText(e)));
  }, []);
  const trigger = Form.useWatch('trigger', form);

  const save = async () => {
    if (!rules) return;
    setSaving(true);
    setError(null);
    try {
      load(await visitsApi.putSettings({ rules }));
      message.success(t('visits.settings.saved'));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  const open = (index: number | null) => {
    const rule: VisitRule =
      index === null
        ? {
            id: `rule_${Date.now().toString(36)}`,
            name: '',
            trigger: 'filed',
            caseKind: null,
            interactionKind: null,
            offsets: [3],
            dayKind: 'calendar',
            way: 'phone',
            assigneeId: null,
            active: true,
          }
        : (rules?.[index] as VisitRule);
    setEditing({ index, rule });
    form.setFieldsValue({ ...rule, offsets: rule.offsets.join(', ') });
  };
  const apply = async () => {
    const v = await form.validateFields();
    if (!editing || !rules) return;
    const rule: VisitRule = {
      ...editing.rule,
      ...v,
      name: v.name.trim(),
      offsets: parseOffsets(v.offsets),
      caseKind: v.trigger === 'case_closed' ? (v.caseKind ?? null) : null,
      interactionKind: v.trigger === 'interaction' ? (v.interactionKind ?? null) : null,
      assigneeId: v.assigneeId ?? null,
    };
    setRules(
      editing.index === null ? [...rules, rule] : rules.map((r, i) => (i === editing.index ? rule : r)),
    );
    setDirty(true);
    setEditing(null);
  };

  if (!rules)
    return (
      <PageContainer title={t('visits.settings.title')}>
        {error ? <Alert type="error" title={error} /> : <PageSpin />}
      </PageContainer>
    );
  return (
    <PageContainer title={t('visits.settings.title')} subTitle={t('visits.settings.intro')}>
      <Card
        title={t('visits.settings.rules')}
        extra={
          editable && (
            <Space>
              <Button icon={<PlusOutlined />} onClick={() => open(null)}>
                {t('visits.settings.add')}
              </Button>
              <Button type="primary" disabled={!dirty} loading={saving} onClick={save}>
                {t('common.save')}
              </Button>
            </Space>
          )
        }
      >
        <Flex vertical gap={12}>
          {error && <Alert type="error" title={error} showIcon />}
          {dirty && <Alert type="warning" title={t('visits.settings.unsaved')} showIcon />}
          <Table<VisitRule>
            rowKey="id"
            size="middle"
            pagination={false}
            dataSource={rules}
            columns={[
              { title: t('visits.settings.name'), dataIndex: 'name' },
              {
                title: t('visits.settings.trigger'),
                key: 'trigger',
                render: (_, r) => (
                  <Space size={4} wrap>
                    <span>{label(VISIT_TRIGGER_LABELS[r.trigger])}</span>
                    {r.caseKind && <Tag>{label(CASE_KIND_LABELS[r.caseKind])}</Tag>}
                    {r.interactionKind && <Tag>{label(INTERACTION_KIND_LABELS[r.interactionKind])}</Tag>}
                  </Space>
                ),
              },
              {
                title: t('visits.settings.offsets'),
                key: 'offsets',
                render: (_, r) =>
                  `${r.offsets.map((n) => `+${n}`).join('、')} ${label(DAY_KIND_LABELS[r.dayKind])}`,
              },
              { title: t('visits.col.way'), key: 'way', render: (_, r) => label(VISIT_WAY_LABELS[r.way]) },
              {
                title: t('visits.col.assignee'),
                key: 'assignee',
                render: (_, r) => (r.assigneeId ? t('visits.settings.named') : t('visits.settings.owner')),
              },
              {
                title: t('visits.settings.active'),
                key: 'active',
                render: (_, r, i) => (
                  <Switch
                    size="small"
                    checked={r.active}
                    disabled={!editable}
                    onChange={(active) => {
                      setRules(rules.map((x, j) => (j === i ? { ...x, active } : x)));
                      setDirty(true);
                    }}
                  />
                ),
              },
              ...(editable
                ? [
                    {
                      title: t('common.actions'),
                      key: 'actions',
                      render: (_: unknown, _r: VisitRule, i: number) => (
                        <Space size={0}>
                          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => open(i)}>
                            {t('common.edit')}
                          </Button>
                          <Button
                            type="link"
                            size="small"
                            danger
                            icon={<DeleteOutlined />}
                            onClick={() => {
                              setRules(rules.filter((_x, j) => j !== i));
                              setDirty(true);
                            }}
                          >
                            {t('common.delete')}
                          </Button>
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          <Typography.Text type="secondary">{t('visits.settings.note')}</Typography.Text>
        </Flex>
      </Card>
      <Modal
        open={!!editing}
        title={editing?.index === null ? t('visits.settings.add') : t('visits.settings.edit')}
        onCancel={() => setEditing(null)}
        onOk={apply}
        destroyOnHidden
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="name"
            label={t('visits.settings.name')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="trigger" label={t('visits.settings.trigger')} rules={[{ required: true }]}>
            <Select
              options={VISIT_TRIGGERS.map((x) => ({ value: x, label: label(VISIT_TRIGGER_LABELS[x]) }))}
            />
          </Form.Item>
          {trigger === 'case_closed' && (
            <Form.Item name="caseKind" label={t('visits.settings.caseKind')}>
              <Select
                allowClear
                placeholder={t('visits.settings.anyCase')}
                options={CASE_KINDS.map((x) => ({ value: x, label: label(CASE_KIND_LABELS[x]) }))}
              />
            </Form.Item>
          )}
          {trigger === 'interaction' && (
            <Form.Item
              name="interactionKind"
              label={t('visits.settings.interactionKind')}
              rules={[{ required: true }]}
            >
              <Select
                options={INTERACTION_KINDS.map((x) => ({
                  value: x,
                  label: label(INTERACTION_KIND_LABELS[x]),
                }))}
              />
            </Form.Item>
          )}
          <Form.Item
            name="offsets"
            label={t('visits.settings.offsets')}
            extra={t('visits.settings.offsetsHelp')}
            rules={[
              { required: true },
              {
                validator: async (_, v: string) => {
                  const n = parseOffsets(v ?? '');
                  if (!n.length || n.some((x) => !Number.isInteger(x) || x < 0 || x > 3650))
                    throw new Error(t('visits.settings.offsetsInvalid'));
                },
              },
            ]}
          >
            <Input placeholder="3, 30, 60" />
          </Form.Item>
          <Form.Item name="dayKind" label={t('visits.settings.dayKind')}>
            <Radio.Group
              optionType="button"
              options={DAY_KINDS.map((x) => ({ value: x, label: label(DAY_KIND_LABELS[x]) }))}
            />
          </Form.Item>
          <Form.Item name="way" label={t('visits.col.way')}>
            <Radio.Group
              optionType="button"
              options={VISIT_WAYS.map((x) => ({ value: x, label: label(VISIT_WAY_LABELS[x]) }))}
            />
          </Form.Item>
          <Form.Item
            name="assigneeId"
            label={t('visits.col.assignee')}
            extra={t('visits.settings.assigneeHelp')}
          >
            <UserSelect allowClear />
          </Form.Item>
          <Form.Item name="active" label={t('visits.settings.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
