import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  InputNumber,
  Row,
  Select,
  Switch,
  Table,
  TimePicker,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import {
  CASE_KIND_LABELS,
  CASE_KINDS,
  CASE_TYPE_LISTS,
  type CaseKind,
  type ClockRule,
  SEVERITIES,
  SEVERITY_LABELS,
} from '../../../common/cases';
import { ROLE_LABELS, ROLES } from '../../../common/enums';
import type { CaseSettings } from '../../../common/schemas/cases';
import { type CaseType, casesApi } from '../../api/cases';
import { errorText, formErrorText } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { CodeListEditor } from '../../components/CodeListEditor';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { useLabel, useT } from '../../i18n';
import { useCategories } from '../documents/shared';
import { useCaseTypes } from './shared';

type Row_ = ClockRule & { key: number };
const CLOCK_COLUMNS = ['investigate', 'reply', 'resolve', 'revisit'] as const;

/** 投诉设置 /cases/settings: the clock rules (R-Q3), when a day ends, who revisits, escalation,
 * where closed cases are filed, and the type lists. */
export default function CaseSettingsPage() {
  const t = useT();
  const { can } = useAuth();
  const [settings, setSettings] = useState<CaseSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    casesApi
      .settings()
      .then(setSettings)
      .catch((e) => setError(errorText(e)));
  }, []);
  const editable = can('case.configure');
  return (
    <PageContainer title={t('cases.settings.title')} subTitle={t('cases.settings.intro')}>
      {error && <Alert type="error" showIcon title={error} />}
      {!settings ? (
        !error && <PageSpin />
      ) : (
        <>
          <ClockRulesCard settings={settings} editable={editable} onSaved={setSettings} />
          <GeneralCard settings={settings} editable={editable} onSaved={setSettings} />
        </>
      )}
      <TypesCard editable={editable} />
    </PageContainer>
  );
}

function ClockRulesCard({
  settings,
  editable,
  onSaved,
}: {
  settings: CaseSettings;
  editable: boolean;
  onSaved: (s: CaseSettings) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const types = useCaseTypes();
  const [rows, setRows] = useState<Row_[]>(() => settings.clocks.map((r, i) => ({ ...r, key: i })));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);

  const change = (key: number, patch: Partial<ClockRule>) => {
    setRows((prev) => prev.map((r) => (r.key === key ? { ...r, ...patch } : r)));
    setDirty(true);
  };
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const saved = await casesApi.putSettings({ clocks: rows.map(({ key: _, ...r }) => r) });
      onSaved(saved);
      setRows(saved.clocks.map((r, i) => ({ ...r, key: i })));
      setDirty(false);
      message.success(t('cases.settings.saved'));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  const days = (key: number, clock: (typeof CLOCK_COLUMNS)[number], value: number) =>
    editable ? (
      <InputNumber
        min={0}
        max={365}
        precision={0}
        value={value}
        onChange={(v) => change(key, { [clock]: v ?? 0 })}
        style={{ width: 72 }}
        aria-label={t(`cases.clock.${clock}`)}
      />
    ) : (
      value
    );

  return (
    <Card
      title={t('cases.settings.clocks')}
      extra={
        editable && (
          <Flex gap={8}>
            <Button
              icon={<PlusOutlined />}
              onClick={() => {
                setRows((prev) => [
                  ...prev,
                  {
                    key: Math.max(-1, ...prev.map((r) => r.key)) + 1,
                    kind: 'complaint',
                    type: null,
                    severity: null,
                    investigate: 1,
                    reply: 2,
                    resolve: 10,
                    revisit: 5,
                  },
                ]);
                setDirty(true);
              }}
            >
              {t('cases.settings.addRule')}
            </Button>
            <Button type="primary" loading={saving} disabled={!dirty} onClick={save}>
              {t('common.save')}
            </Button>
          </Flex>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('cases.settings.clocksHelp')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<Row_>
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={rows}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('cases.field.kind'),
            dataIndex: 'kind',
            width: 110,
            render: (v: CaseKind, r) =>
              editable ? (
                <Select
                  value={v}
                  style={{ width: 96 }}
                  onChange={(kind) => change(r.key, { kind, type: null })}
                  options={CASE_KINDS.map((k) => ({ value: k, label: label(CASE_KIND_LABELS[k]) }))}
                />
              ) : (
                label(CASE_KIND_LABELS[v])
              ),
          },
          {
            title: t('cases.field.type'),
            dataIndex: 'type',
            width: 150,
            render: (v: string | null, r) =>
              editable ? (
                <Select
                  value={v ?? ''}
                  style={{ width: 136 }}
                  onChange={(type) => change(r.key, { type: type || null })}
                  options={[
                    { value: '', label: t('cases.settings.anyType') },
                    ...types.options(r.kind, false),
                  ]}
                />
              ) : (
                (types.of(r.kind, false).find((x) => x.code === v)?.label ?? v ?? t('cases.settings.anyType'))
              ),
          },
          {
            title: t('cases.field.severity'),
            dataIndex: 'severity',
            width: 130,
            render: (v: string | null, r) =>
              editable ? (
                <Select
                  value={v ?? ''}
                  style={{ width: 116 }}
                  onChange={(s) => change(r.key, { severity: (s || null) as ClockRule['severity'] })}
                  options={[
                    { value: '', label: t('cases.settings.anySeverity') },
                    ...SEVERITIES.map((s) => ({ value: s, label: label(SEVERITY_LABELS[s]) })),
                  ]}
                />
              ) : v ? (
                label(SEVERITY_LABELS[v as keyof typeof SEVERITY_LABELS])
              ) : (
                t('cases.settings.anySeverity')
              ),
          },
          ...CLOCK_COLUMNS.map((clock) => ({
            title: (
              <span>
                {t(`cases.clock.${clock}`)}
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 400 }}>
                  {clock === 'revisit'
                    ? t('cases.settings.daysAfterReply')
                    : t('cases.settings.daysAfterReceipt')}
                </Typography.Text>
              </span>
            ),
            dataIndex: clock,
            width: 120,
            render: (v: number, r: Row_) => days(r.key, clock, v),
          })),
          ...(editable
            ? [
                {
                  title: '',
                  key: 'remove',
                  width: 56,
                  render: (_: unknown, r: Row_) => (
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={t('common.delete')}
                      disabled={rows.length <= 1}
                      onClick={() => {
                        setRows((prev) => prev.filter((x) => x.key !== r.key));
                        setDirty(true);
                      }}
                    />
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

interface GeneralValues {
  dayEnds: Dayjs;
  revisitRole: CaseSettings['revisitRole'];
  escalate: boolean;
  archiveCategory: string;
}

function GeneralCard({
  settings,
  editable,
  onSaved,
}: {
  settings: CaseSettings;
  editable: boolean;
  onSaved: (s: CaseSettings) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm<GeneralValues>();
  const categories = useCategories();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Card
      title={t('cases.settings.general')}
      extra={
        editable && (
          <Button type="primary" loading={saving} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        )
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<GeneralValues>
        name="caseSettings"
        form={form}
        layout="vertical"
        disabled={!editable}
        initialValues={{ ...settings, dayEnds: dayjs(settings.dayEnds, 'HH:mm') }}
        onFinish={async (v) => {
          setSaving(true);
          setError(null);
          try {
            onSaved(
              await casesApi.putSettings({
                dayEnds: v.dayEnds.format('HH:mm'),
                revisitRole: v.revisitRole,
                escalate: v.escalate,
                archiveCategory: v.archiveCategory,
              }),
            );
            message.success(t('cases.settings.saved'));
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Row gutter={24}>
          <Col xs={24} md={12} xl={6}>
            <Form.Item
              name="dayEnds"
              label={t('cases.settings.dayEnds')}
              extra={t('cases.settings.dayEndsHelp')}
            >
              <TimePicker format="HH:mm" allowClear={false} minuteStep={5} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} xl={6}>
            <Form.Item
              name="revisitRole"
              label={t('cases.settings.revisitRole')}
              extra={t('cases.settings.revisitRoleHelp')}
            >
              <Select
                options={ROLES.filter((r) => r !== 'admin' && r !== 'auditor').map((r) => ({
                  value: r,
                  label: label(ROLE_LABELS[r]),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} xl={6}>
            <Form.Item
              name="escalate"
              label={t('cases.settings.escalate')}
              valuePropName="checked"
              extra={t('cases.settings.escalateHelp')}
            >
              <Switch />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} xl={6}>
            <Form.Item
              name="archiveCategory"
              label={t('cases.settings.archiveCategory')}
              extra={t('cases.settings.archiveCategoryHelp')}
            >
              <Select options={categories.options()} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Card>
  );
}

function TypesCard({ editable }: { editable: boolean }) {
  const t = useT();
  const label = useLabel();
  const types = useCaseTypes();
  return (
    <Card title={t('cases.settings.types')}>
      <Typography.Paragraph type="secondary">{t('cases.settings.typesHelp')}</Typography.Paragraph>
      <Row gutter={[24, 16]}>
        {CASE_KINDS.map((kind) => (
          <Col xs={24} lg={12} key={kind}>
            <CodeListEditor<CaseType>
              title={t('cases.settings.typesOf', { kind: label(CASE_KIND_LABELS[kind]) })}
              items={types.types.filter((x) => x.list === CASE_TYPE_LISTS[kind])}
              editable={editable}
              addText={t('cases.settings.addType')}
              editText={t('cases.settings.editType')}
              onSave={(code, body) => casesApi.putType(kind, code, body)}
              onSaved={types.set}
            />
          </Col>
        ))}
      </Row>
    </Card>
  );
}
