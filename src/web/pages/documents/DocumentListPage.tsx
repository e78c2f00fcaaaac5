import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Card, Col, DatePicker, Flex, Form, Input, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { DOCUMENT_STATUS_LABELS, DOCUMENT_STATUSES } from '../../../common/documents';
import { SECRECY_LABELS, SECRECY_LEVELS } from '../../../common/enums';
import type { DocumentListItem } from '../../../common/schemas/documents';
import { type DocumentQuery, documentsApi } from '../../api/documents';
import { useAuth } from '../../auth/AuthContext';
import { DepartmentSelect, useDepartments } from '../../components/departments';
import { ListCard, useMatchCount } from '../../components/ListCard';
import { LoadMore } from '../../components/LoadMore';
import { PageContainer } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { useLabel, useT } from '../../i18n';
import { DocumentFormDrawer } from './DocumentFormDrawer';
import { DocumentTable } from './DocumentTable';
import { useCategories, useRetention } from './shared';

interface Filters {
  q?: string;
  category?: string;
  status?: DocumentQuery['status'];
  secrecy?: DocumentQuery['secrecy'];
  retention?: DocumentQuery['retention'];
  departmentId?: string;
  issued?: [Dayjs, Dayjs] | null;
  received?: [Dayjs, Dayjs] | null;
}

const KEYS = [
  'q',
  'category',
  'status',
  'secrecy',
  'retention',
  'departmentId',
  'issuedFrom',
  'issuedTo',
  'receivedFrom',
  'receivedTo',
  // Set only by links (the archive statistics' bars); the form leaves them out when applied.
  'held',
  'recordYear',
  'carrier',
] as const;

/** The list's state lives in the address, so that "back" from a document restores it. */
function fromParams(params: URLSearchParams): DocumentQuery {
  const q: Record<string, string> = {};
  for (const key of KEYS) {
    const v = params.get(key);
    if (v) q[key] = v;
  }
  return q as DocumentQuery;
}

function toQuery(f: Filters): DocumentQuery {
  const day = (d?: Dayjs) => d?.format('YYYY-MM-DD');
  return {
    q: f.q?.trim() || undefined,
    category: f.category,
    status: f.status,
    secrecy: f.secrecy,
    retention: f.retention,
    departmentId: f.departmentId,
    issuedFrom: day(f.issued?.[0]),
    issuedTo: day(f.issued?.[1]),
    receivedFrom: day(f.received?.[0]),
    receivedTo: day(f.received?.[1]),
  };
}

function toFilters(q: DocumentQuery): Filters {
  const range = (a?: string, b?: string): [Dayjs, Dayjs] | null => (a && b ? [dayjs(a), dayjs(b)] : null);
  return {
    q: q.q,
    category: q.category,
    status: q.status,
    secrecy: q.secrecy,
    retention: q.retention,
    departmentId: q.departmentId,
    issued: range(q.issuedFrom, q.issuedTo),
    received: range(q.receivedFrom, q.receivedTo),
  };
}

const clean = (q: DocumentQuery) =>
  Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;

/** 文件登记簿 /documents: search and filters above, the register below. */
export default function DocumentListPage() {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<Filters>();
  const departments = useDepartments();
  const categories = useCategories();
  const retention = useRetention();
  const initial = useMemo(() => fromParams(params), [params]);
  const list = useKeysetList<DocumentListItem, DocumentQuery>(
    (q, cursor) => documentsApi.list(q, cursor),
    initial,
  );
  const [registering, setRegistering] = useState(false);

  const count = useMatchCount(list.filters, (f, signal) => documentsApi.count(f, signal));

  const apply = (q: DocumentQuery) => {
    setParams(clean(q));
    list.reload(q);
  };

  const col = { xs: 24, md: 12, lg: 8, xl: 6 };
  const filtered = Object.keys(clean(list.filters)).length > 0;

  return (
    <PageContainer
      title={t('documents.title')}
      extra={
        can('document.create') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)}>
            {t('documents.register')}
          </Button>
        )
      }
    >
      <Card>
        <Form<Filters>
          name="documentFilter"
          form={form}
          onFinish={(v) => apply(toQuery(v))}
          initialValues={toFilters(initial)}
          labelCol={{ flex: '80px' }}
          labelWrap
          autoComplete="off"
        >
          <Row gutter={16}>
            <Col xs={24} lg={16} xl={12}>
              <Form.Item name="q" label={t('documents.keyword')}>
                <Input placeholder={t('documents.keywordPlaceholder')} allowClear />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="category" label={t('documents.field.category')}>
                <Select allowClear placeholder={t('common.all')} options={categories.options(false)} />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="status" label={t('documents.field.status')}>
                <Select
                  allowClear
                  placeholder={t('documents.allStatuses')}
                  options={DOCUMENT_STATUSES.map((s) => ({
                    value: s,
                    label: label(DOCUMENT_STATUS_LABELS[s]),
                  }))}
                />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="departmentId" label={t('documents.field.department')}>
                <DepartmentSelect
                  departments={departments.items}
                  allowInactive
                  placeholder={t('common.all')}
                />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="secrecy" label={t('documents.field.secrecy')}>
                <Select
                  allowClear
                  placeholder={t('common.all')}
                  options={SECRECY_LEVELS.map((s) => ({ value: s, label: label(SECRECY_LABELS[s]) }))}
                />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="retention" label={t('documents.field.retention')}>
                <Select allowClear placeholder={t('common.all')} options={retention.options} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="issued" label={t('documents.issuedRange')}>
                <DatePicker.RangePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="received" label={t('documents.receivedRange')}>
                <DatePicker.RangePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col flex="auto">
              <Form.Item style={{ marginBottom: 0 }}>
                <Flex justify="flex-end" gap={8}>
                  <Button
                    onClick={() => {
                      form.resetFields();
                      form.setFieldsValue(toFilters({}));
                      apply({});
                    }}
                  >
                    {t('common.reset')}
                  </Button>
                  <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                    {t('common.search')}
                  </Button>
                </Flex>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      <ListCard
        title={t('documents.list')}
        total={count === null ? null : t('documents.total', { count })}
        onRefresh={() => list.reload()}
      >
        <DocumentTable
          items={list.items}
          loading={list.loading}
          empty={filtered ? t('common.noMatch') : t('documents.empty')}
          highlight={list.filters.q ?? ''}
        />
        <LoadMore
          count={list.items.length}
          hasMore={!!list.nextCursor}
          loading={list.loadingMore}
          onLoadMore={list.loadMore}
        />
      </ListCard>
      <DocumentFormDrawer
        open={registering}
        onClose={() => setRegistering(false)}
        onSaved={(doc) => {
          setRegistering(false);
          navigate(`/documents/${doc.id}`);
        }}
      />
    </PageContainer>
  );
}
