import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  HistoryOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Collapse,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Skeleton,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { SurveyTemplate } from '../../../common/schemas/surveys';
import {
  DEFAULT_LEVEL_SCORES,
  SURVEY_LEVEL_LABELS,
  SURVEY_LEVELS,
  SURVEY_PERIOD_LABELS,
  SURVEY_PERIODS,
  SURVEY_QUESTION_TYPE_LABELS,
  SURVEY_QUESTION_TYPES,
  type SurveyLevel,
  type SurveyPeriod,
  type SurveyQuestionType,
} from '../../../common/surveys';
import { formatDateTime } from '../../../common/time';
import { errorText, formErrorText } from '../../api/client';
import { surveysApi } from '../../api/surveys';
import { FormDrawer } from '../../components/FormDrawer';
import { PageContainer } from '../../components/PageContainer';
import { useLabel, useT } from '../../i18n';

// 调查问卷模板 /surveys/templates: the current version of each template with its questions; 新版本
// opens an editor whose save becomes the current version (running campaigns keep theirs); the
// older versions stay readable with the campaigns that used them.

type Question = SurveyTemplate['questions'][number];

export default function TemplatesPage() {
  const t = useT();
  const [templates, setTemplates] = useState<SurveyTemplate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<SurveyTemplate | null>(null);
  const load = useCallback(() => {
    surveysApi
      .templates()
      .then((x) => {
        setTemplates(x.filter((tpl) => tpl.current));
        setError(null);
      })
      .catch((e) => setError(errorText(e)));
  }, []);
  useEffect(() => {
    load();
  }, [load]);

  return (
    <PageContainer title={t('surveys.templates.title')} subTitle={t('surveys.templates.intro')}>
      {error && <Alert type="error" showIcon title={error} />}
      {!templates ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : templates.length === 0 ? (
        <Card>
          <Empty description={t('surveys.templates.empty')} />
        </Card>
      ) : (
        templates.map((tpl) => (
          <TemplateCard key={tpl.id} template={tpl} onNewVersion={() => setEditing(tpl)} />
        ))
      )}
      <TemplateEditor
        template={editing}
        onClose={() => setEditing(null)}
        onDone={() => {
          setEditing(null);
          load();
        }}
      />
    </PageContainer>
  );
}

function QuestionTable({ questions }: { questions: Question[] }) {
  const t = useT();
  const label = useLabel();
  return (
    <Table<Question>
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={questions}
      columns={[
        { title: '#', key: 'n', width: 48, render: (_, _q, i) => i + 1 },
        { title: t('surveys.col.question'), dataIndex: 'label' },
        {
          title: t('surveys.col.type'),
          key: 'type',
          width: 120,
          render: (_, q) => label(SURVEY_QUESTION_TYPE_LABELS[q.type]),
        },
        {
          title: t('surveys.templates.required'),
          key: 'required',
          width: 80,
          render: (_, q) => (q.required ? t('common.yes') : t('common.no')),
        },
        {
          title: t('surveys.templates.key'),
          dataIndex: 'key',
          width: 140,
          render: (k: string) => <Typography.Text type="secondary">{k}</Typography.Text>,
        },
      ]}
    />
  );
}

function scoresText(s: SurveyTemplate['levelScores'], label: ReturnType<typeof useLabel>) {
  return SURVEY_LEVELS.map((l) => `${label(SURVEY_LEVEL_LABELS[l])} ${s[l]}`).join(' / ');
}

function TemplateCard({
  template: tpl,
  onNewVersion,
}: {
  template: SurveyTemplate;
  onNewVersion: () => void;
}) {
  const t = useT();
  const label = useLabel();
  return (
    <Card
      title={
        <Flex gap={8} align="center" wrap>
          <span>{tpl.name}</span>
          <Tag color="blue">
            {t('surveys.templates.version', { version: tpl.version })} · {t('surveys.templates.current')}
          </Tag>
        </Flex>
      }
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={onNewVersion}
          data-testid={`new-version-${tpl.key}`}
        >
          {t('surveys.templates.newVersion')}
        </Button>
      }
      data-testid={`template-${tpl.key}`}
    >
      <Flex vertical gap={12}>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2 }}
          items={[
            {
              key: 'description',
              label: t('surveys.templates.description'),
              children: tpl.description ?? '—',
              span: 2,
            },
            {
              key: 'period',
              label: t('surveys.templates.period'),
              children: label(SURVEY_PERIOD_LABELS[tpl.period]),
            },
            {
              key: 'scores',
              label: t('surveys.templates.scores'),
              children: scoresText(tpl.levelScores, label),
            },
            {
              key: 'created',
              label: t('surveys.templates.created'),
              children: `${formatDateTime(tpl.createdAt)}${tpl.createdBy ? ` · ${tpl.createdBy.name}` : ''}`,
            },
            {
              key: 'campaigns',
              label: t('surveys.templates.campaigns'),
              children: t('surveys.templates.campaignsN', { n: tpl.campaigns }),
            },
          ]}
        />
        <QuestionTable questions={tpl.questions} />
        {tpl.version > 1 && <OlderVersions template={tpl} />}
      </Flex>
    </Card>
  );
}

/** The versions before the current one, loaded when opened; read-only. */
function OlderVersions({ template }: { template: SurveyTemplate }) {
  const t = useT();
  const label = useLabel();
  const [versions, setVersions] = useState<SurveyTemplate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = () => {
    if (versions) return;
    surveysApi
      .versions(template.key)
      .then((all) =>
        setVersions(all.filter((v) => v.id !== template.id).sort((a, b) => b.version - a.version)),
      )
      .catch((e) => setError(errorText(e)));
  };
  return (
    <Collapse
      size="small"
      onChange={(keys) => keys.length && open()}
      items={[
        {
          key: 'older',
          label: (
            <span>
              <HistoryOutlined /> {t('surveys.templates.older')}
            </span>
          ),
          children: error ? (
            <Alert type="error" showIcon title={error} />
          ) : !versions ? (
            <Skeleton active />
          ) : versions.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('surveys.templates.olderNone')} />
          ) : (
            <Flex vertical gap={16}>
              {versions.map((v) => (
                <div key={v.id} data-testid={`template-version-${v.version}`}>
                  <Typography.Text strong>
                    {t('surveys.templates.version', { version: v.version })} · {v.name}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                    {formatDateTime(v.createdAt)}
                    {v.createdBy ? ` · ${v.createdBy.name}` : ''} ·{' '}
                    {t('surveys.templates.campaignsN', { n: v.campaigns })} ·{' '}
                    {scoresText(v.levelScores, label)}
                  </Typography.Text>
                  <div style={{ marginTop: 8 }}>
                    <QuestionTable questions={v.questions} />
                  </div>
                </div>
              ))}
            </Flex>
          ),
        },
      ]}
    />
  );
}

interface EditorValues {
  name: string;
  description?: string;
  period: SurveyPeriod;
  levelScores: Record<SurveyLevel, number>;
  questions: { key: string; label: string; type: SurveyQuestionType; required: boolean }[];
}

const KEY = /^[a-z][a-z0-9_]{0,39}$/;

/** 新版本: questions added, removed, reordered; their type and whether required; the level scores. */
function TemplateEditor({
  template,
  onClose,
  onDone,
}: {
  template: SurveyTemplate | null;
  onClose: () => void;
  onDone: (next: SurveyTemplate) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm<EditorValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  /** Problems the server would refuse, said before sending. */
  const check = (v: EditorValues): string | null => {
    const qs = v.questions ?? [];
    if (!qs.some((q) => q.type === 'rating')) return t('surveys.templates.needRating');
    if (qs.filter((q) => q.type === 'overall').length > 1) return t('surveys.templates.oneOverall');
    const keys = qs.map((q) => q.key);
    if (new Set(keys).size !== keys.length) return t('surveys.templates.keysUnique');
    return null;
  };

  const submit = async (v: EditorValues) => {
    if (!template) return;
    const problem = check(v);
    if (problem) {
      setError(problem);
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const next = await surveysApi.newVersion(template.key, {
        name: v.name.trim(),
        description: v.description?.trim() ? v.description.trim() : null,
        period: v.period,
        questions: v.questions.map((q) => ({
          key: q.key.trim(),
          label: q.label.trim(),
          type: q.type,
          required: !!q.required,
        })),
        levelScores: v.levelScores,
      });
      message.success(t('surveys.templates.saved', { version: next.version }));
      onDone(next);
    } catch (e) {
      setError(formErrorText(form, e));
      const wrong = form.getFieldsError().find((f) => f.errors.length > 0);
      if (wrong) form.scrollToField(wrong.name, { block: 'center' });
    } finally {
      setSaving(false);
    }
  };

  const newKey = () => {
    const taken = new Set(
      (form.getFieldValue('questions') as EditorValues['questions'] | undefined)?.map((q) => q.key),
    );
    let n = 1;
    while (taken.has(`q${n}`)) n++;
    return `q${n}`;
  };

  return (
    <FormDrawer
      open={!!template}
      title={template ? `${t('surveys.templates.newVersion')} · ${template.name}` : ''}
      size={760}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      saveText={template ? t('surveys.templates.saveAs', { version: template.version + 1 }) : undefined}
      afterClose={() => {
        form.resetFields();
        setError(null);
      }}
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('surveys.templates.editorHelp')} />
      <Form<EditorValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        data-testid="template-editor"
        initialValues={
          template
            ? {
                name: template.name,
                description: template.description ?? undefined,
                period: template.period,
                levelScores: { ...DEFAULT_LEVEL_SCORES, ...template.levelScores },
                questions: template.questions.map((q) => ({ ...q })),
              }
            : undefined
        }
      >
        <Row gutter={16}>
          <Col xs={24} md={16}>
            <Form.Item
              name="name"
              label={t('surveys.templates.name')}
              rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            >
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="period" label={t('surveys.templates.period')} rules={[{ required: true }]}>
              <Select
                options={SURVEY_PERIODS.map((p) => ({ value: p, label: label(SURVEY_PERIOD_LABELS[p]) }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="description" label={t('surveys.templates.description')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Typography.Title level={5}>{t('surveys.templates.scores')}</Typography.Title>
        <Row gutter={16}>
          {SURVEY_LEVELS.map((l) => (
            <Col xs={12} md={6} key={l}>
              <Form.Item
                name={['levelScores', l]}
                label={label(SURVEY_LEVEL_LABELS[l])}
                rules={[{ required: true, message: t('common.required') }]}
              >
                <InputNumber min={0} max={100} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Typography.Title level={5}>{t('surveys.templates.questions')}</Typography.Title>
        <Form.List
          name="questions"
          rules={[
            {
              validator: async (_, qs?: unknown[]) => {
                if (!qs || qs.length === 0) throw new Error(t('surveys.templates.needQuestion'));
              },
            },
          ]}
        >
          {(fields, { add, remove, move }, { errors }) => (
            <Flex vertical gap={8}>
              {fields.map((field, i) => (
                <Card size="small" key={field.key} data-testid="template-question">
                  <Flex gap={8} align="flex-start" wrap>
                    <Typography.Text strong style={{ lineHeight: '32px', width: 24 }}>
                      {i + 1}.
                    </Typography.Text>
                    <Form.Item
                      name={[field.name, 'label']}
                      rules={[{ required: true, whitespace: true, message: t('common.required') }]}
                      style={{ flex: '1 1 160px', marginBottom: 0 }}
                    >
                      <Input
                        maxLength={100}
                        placeholder={t('surveys.templates.labelPlaceholder')}
                        aria-label={t('surveys.col.question')}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'type']} style={{ width: 110, marginBottom: 0 }}>
                      <Select
                        aria-label={t('surveys.col.type')}
                        options={SURVEY_QUESTION_TYPES.map((x) => ({
                          value: x,
                          label: label(SURVEY_QUESTION_TYPE_LABELS[x]),
                        }))}
                      />
                    </Form.Item>
                    <Tooltip title={t('surveys.templates.keyHelp')}>
                      <Form.Item
                        name={[field.name, 'key']}
                        rules={[
                          { required: true, message: t('common.required') },
                          { pattern: KEY, message: t('surveys.templates.keyInvalid') },
                        ]}
                        style={{ width: 110, marginBottom: 0 }}
                      >
                        <Input maxLength={40} aria-label={t('surveys.templates.key')} />
                      </Form.Item>
                    </Tooltip>
                    <Form.Item
                      name={[field.name, 'required']}
                      valuePropName="checked"
                      style={{ marginBottom: 0 }}
                    >
                      <Switch
                        checkedChildren={t('surveys.templates.required')}
                        unCheckedChildren={t('surveys.templates.optional')}
                      />
                    </Form.Item>
                    <Flex gap={0}>
                      <Button
                        type="text"
                        icon={<ArrowUpOutlined />}
                        disabled={i === 0}
                        onClick={() => move(i, i - 1)}
                        aria-label={t('surveys.templates.moveUp')}
                      />
                      <Button
                        type="text"
                        icon={<ArrowDownOutlined />}
                        disabled={i === fields.length - 1}
                        onClick={() => move(i, i + 1)}
                        aria-label={t('surveys.templates.moveDown')}
                      />
                      <Button
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        onClick={() => remove(field.name)}
                        aria-label={t('common.delete')}
                      />
                    </Flex>
                  </Flex>
                </Card>
              ))}
              <Form.ErrorList errors={errors} />
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                disabled={fields.length >= 30}
                onClick={() => add({ key: newKey(), label: '', type: 'rating', required: true })}
              >
                {t('surveys.templates.addQuestion')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form>
    </FormDrawer>
  );
}
