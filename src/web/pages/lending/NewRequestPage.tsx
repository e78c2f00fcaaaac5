import {
  DeleteOutlined,
  PlusOutlined,
  SearchOutlined,
  SendOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Switch,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { LENDING_MODE_LABELS, LENDING_MODES, PURPOSE_LABELS, PURPOSES } from '../../../common/lending';
import type { CatalogueItem, LendingSettings } from '../../../common/schemas/lending';
import { errorText, formErrorText } from '../../api/client';
import { lendingApi } from '../../api/lending';
import { SecrecyTag } from '../../components/labels';
import { PageContainer } from '../../components/PageContainer';
import { useLabel, useT } from '../../i18n';

interface Values {
  mode: 'electronic' | 'physical';
  purpose: 'read' | 'borrow' | 'copy' | 'print';
  days: number;
  reason: string;
  external: boolean;
  organisation?: string;
  person?: string;
}

/** 申请查阅/借阅 /lending/new: pick records (within one's clearance), purpose and period (R-P3). */
export default function NewRequestPage() {
  const t = useT();
  const label = useLabel();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const [settings, setSettings] = useState<LendingSettings | null>(null);
  const [query, setQuery] = useState(params.get('q') ?? '');
  const [found, setFound] = useState<CatalogueItem[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [picked, setPicked] = useState<CatalogueItem[]>([]);
  const [letter, setLetter] = useState<{ sha256: string; name: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mode = Form.useWatch('mode', form);
  const external = Form.useWatch('external', form);

  useEffect(() => {
    lendingApi
      .settings()
      .then((s) => {
        setSettings(s);
        form.setFieldValue('days', s.defaultDays);
      })
      .catch(() => {});
  }, [form]);

  const search = async (q = query) => {
    if (!q.trim()) return;
    setSearching(true);
    try {
      setFound(await lendingApi.catalogue(q.trim()));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setSearching(false);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: a link may bring a search along, once
  useEffect(() => {
    if (params.get('q')) search(params.get('q') ?? '');
  }, []);

  const key = (c: Pick<CatalogueItem, 'targetType' | 'targetId'>) => `${c.targetType}:${c.targetId}`;
  const isPicked = (c: CatalogueItem) => picked.some((p) => key(p) === key(c));

  const submit = async (v: Values) => {
    if (picked.length === 0) {
      setError(t('lending.new.noItems'));
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const created = await lendingApi.create({
        mode: v.mode,
        purpose: v.purpose,
        days: v.days,
        reason: v.reason,
        items: picked.map((p) => ({ targetType: p.targetType, targetId: p.targetId })),
        external: v.external ? { organisation: v.organisation ?? '', person: v.person ?? '' } : null,
        letter: v.external ? letter : null,
      });
      message.success(t('lending.new.submitted', { number: created.number }));
      navigate(`/lending/requests/${created.id}`);
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };

  const typeTag = (c: CatalogueItem) => (
    <Tag>{t(c.targetType === 'customer' ? 'lending.type.customer' : 'lending.type.document')}</Tag>
  );

  return (
    <PageContainer title={t('lending.new.title')} subTitle={t('lending.new.intro')}>
      <Card title={t('lending.new.find')}>
        <Flex gap={8} style={{ marginBottom: 12 }}>
          <Input
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onPressEnter={() => search()}
            placeholder={t('lending.new.searchPlaceholder')}
            allowClear
          />
          <Button type="primary" icon={<SearchOutlined />} loading={searching} onClick={() => search()}>
            {t('common.search')}
          </Button>
        </Flex>
        {found !== null && (
          <Table<CatalogueItem>
            rowKey={key}
            size="small"
            dataSource={found}
            pagination={false}
            locale={{
              emptyText: (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('lending.new.nothingFound')} />
              ),
            }}
            columns={[
              {
                title: t('lending.item'),
                key: 'label',
                render: (_, c) => (
                  <span>
                    {typeTag(c)}
                    {c.label}
                  </span>
                ),
              },
              { title: t('lending.code'), dataIndex: 'code', width: 200, render: (v) => v ?? '—' },
              { title: t('documents.field.department'), dataIndex: 'departmentName', width: 110 },
              {
                title: t('documents.field.secrecy'),
                dataIndex: 'secrecy',
                width: 80,
                render: (v: CatalogueItem['secrecy']) => <SecrecyTag level={v} />,
              },
              {
                title: t('lending.new.state'),
                key: 'state',
                width: 190,
                render: (_, c) => (
                  <Flex gap={4} wrap>
                    {c.readable && <Tag color="green">{t('lending.new.readable')}</Tag>}
                    {c.controlled && <Tag color="purple">{t('lending.controlled')}</Tag>}
                    {c.out && <Tag color="orange">{t('lending.new.out')}</Tag>}
                    {!c.paper && <Tag>{t('lending.new.electronicOnly')}</Tag>}
                  </Flex>
                ),
              },
              {
                title: '',
                key: 'add',
                width: 90,
                render: (_, c) => (
                  <Button
                    size="small"
                    icon={<PlusOutlined />}
                    disabled={isPicked(c)}
                    onClick={() => setPicked((p) => [...p, c])}
                  >
                    {t('lending.new.add')}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Card>
      <Card title={t('lending.new.picked', { count: picked.length })}>
        {picked.length === 0 ? (
          <Typography.Text type="secondary">{t('lending.new.noItems')}</Typography.Text>
        ) : (
          <Flex vertical gap={6}>
            {picked.map((c) => (
              <Flex key={key(c)} gap={8} align="center">
                {typeTag(c)}
                <span>{c.label}</span>
                {c.controlled && <Tag color="purple">{t('lending.controlled')}</Tag>}
                {c.secrecy !== 'normal' && <SecrecyTag level={c.secrecy} />}
                <Button
                  size="small"
                  type="text"
                  icon={<DeleteOutlined />}
                  aria-label={t('common.delete')}
                  onClick={() => setPicked((p) => p.filter((x) => key(x) !== key(c)))}
                />
              </Flex>
            ))}
          </Flex>
        )}
      </Card>
      <Card title={t('lending.new.details')}>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={{ mode: 'electronic', purpose: 'read', days: 7, external: false }}
          onFinish={submit}
          style={{ maxWidth: 760 }}
        >
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="mode"
                label={t('lending.mode')}
                extra={mode === 'physical' ? t('lending.new.physicalHint') : t('lending.new.electronicHint')}
              >
                <Radio.Group
                  optionType="button"
                  options={LENDING_MODES.map((m) => ({ value: m, label: label(LENDING_MODE_LABELS[m]) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="purpose" label={t('lending.purpose')}>
                <Select options={PURPOSES.map((p) => ({ value: p, label: label(PURPOSE_LABELS[p]) }))} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item
                name="days"
                label={t('lending.days')}
                extra={settings ? t('lending.new.daysHint', { max: settings.maxDays }) : undefined}
                rules={[{ required: true }]}
              >
                <InputNumber min={1} max={settings?.maxDays ?? 14} addonAfter={t('lending.dayUnit')} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="reason" label={t('lending.reason')} rules={[{ required: true }]}>
            <Input.TextArea rows={3} maxLength={1000} placeholder={t('lending.new.reasonPlaceholder')} />
          </Form.Item>
          <Form.Item name="external" label={t('lending.new.external')} valuePropName="checked">
            <Switch />
          </Form.Item>
          {external && (
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name="organisation" label={t('lending.organisation')} rules={[{ required: true }]}>
                  <Input maxLength={200} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="person" label={t('lending.person')} rules={[{ required: true }]}>
                  <Input maxLength={100} />
                </Form.Item>
              </Col>
              <Col span={24}>
                <Form.Item label={t('lending.letter')} required name="letter">
                  <Upload
                    maxCount={1}
                    accept=".pdf,.jpg,.jpeg,.png"
                    beforeUpload={async (f) => {
                      try {
                        setLetter(await lendingApi.uploadLetter(f));
                      } catch (e) {
                        message.error(errorText(e));
                      }
                      return false;
                    }}
                    onRemove={() => setLetter(null)}
                  >
                    <Button icon={<UploadOutlined />}>{t('lending.new.uploadLetter')}</Button>
                  </Upload>
                </Form.Item>
              </Col>
            </Row>
          )}
          <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={saving}>
            {t('lending.new.submit')}
          </Button>
        </Form>
      </Card>
    </PageContainer>
  );
}
