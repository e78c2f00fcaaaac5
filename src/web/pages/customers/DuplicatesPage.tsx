import { MergeCellsOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Input,
  Result,
  Row,
  Skeleton,
  Tooltip,
  Typography,
  theme,
} from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CustomerListItem } from '../../../common/schemas/customers';
import { formatDateTime } from '../../../common/time';
import { errorText } from '../../api/client';
import { customersApi, type DuplicateGroup } from '../../api/customers';
import { SecrecyTag } from '../../components/labels';
import { PageContainer } from '../../components/PageContainer';
import { useT } from '../../i18n';
import {
  ArchiveCode,
  CustomerLink,
  CustomerStatusTag,
  OwnerNames,
  orDash,
  useCustomerConfig,
  useLookups,
} from './shared';

/** 疑似重复 (R-C10): archives with near-identical names, side by side, and merging them. */
export default function DuplicatesPage() {
  const t = useT();
  const { message, modal } = App.useApp();
  const [groups, setGroups] = useState<DuplicateGroup[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const note = useRef('');

  const load = useCallback(async () => {
    setError(null);
    try {
      setGroups((await customersApi.duplicates()).items);
    } catch (e) {
      setError(errorText(e));
      setGroups([]);
    }
  }, []);

  useEffect(() => {
    load();
  }, [load]);

  const merge = (group: DuplicateGroup, survivor: CustomerListItem) => {
    const others = group.customers.filter((c) => c.id !== survivor.id);
    note.current = '';
    modal.confirm({
      title: t('duplicates.confirmTitle', { code: survivor.archiveCode }),
      width: 560,
      icon: <MergeCellsOutlined />,
      content: (
        <Flex vertical gap={12} style={{ marginTop: 8 }}>
          <span>
            {t('duplicates.confirmWhich', {
              survivor: `${survivor.archiveCode} ${survivor.name}`,
              others: others.map((o) => `${o.archiveCode} ${o.name}`).join('、'),
            })}
          </span>
          <Alert
            type="warning"
            showIcon
            title={t('merge.whatMoves')}
            description={t('merge.whatMovesDetail')}
          />
          <Input.TextArea
            maxLength={500}
            autoSize={{ minRows: 2, maxRows: 4 }}
            placeholder={t('merge.note')}
            onChange={(e) => {
              note.current = e.target.value;
            }}
          />
        </Flex>
      ),
      okText: t('duplicates.merge'),
      okButtonProps: { danger: true },
      onOk: async () => {
        setBusy(group.key);
        let done = 0;
        try {
          for (const other of others) {
            await customersApi.merge(survivor.id, other.id, note.current.trim() || null);
            done++;
          }
          message.success(t('duplicates.merged', { count: done, code: survivor.archiveCode }));
        } catch (e) {
          message.error(errorText(e));
        } finally {
          setBusy(null);
          load();
        }
      },
    });
  };

  return (
    <PageContainer
      title={t('duplicates.title')}
      subTitle={t('duplicates.subtitle')}
      extra={
        <Tooltip title={t('common.refresh')}>
          <Button icon={<ReloadOutlined />} onClick={load} aria-label={t('common.refresh')} />
        </Tooltip>
      }
    >
      {error && <Alert type="error" showIcon title={error} />}
      {groups === null ? (
        <Card>
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      ) : groups.length === 0 ? (
        <Card>
          <Result status="success" title={t('duplicates.none')} subTitle={t('duplicates.noneSub')} />
        </Card>
      ) : (
        <>
          <Typography.Text type="secondary">
            {t('duplicates.count', { count: groups.length })}
          </Typography.Text>
          {groups.map((g) => (
            <GroupCard key={g.key} group={g} busy={busy === g.key} onMerge={(s) => merge(g, s)} />
          ))}
        </>
      )}
    </PageContainer>
  );
}

function GroupCard({
  group,
  busy,
  onMerge,
}: {
  group: DuplicateGroup;
  busy: boolean;
  onMerge: (survivor: CustomerListItem) => void;
}) {
  const t = useT();
  const { token } = theme.useToken();
  const { config } = useCustomerConfig();
  const lookups = useLookups(config);
  const span = Math.max(6, Math.floor(24 / Math.min(group.customers.length, 4)));
  return (
    <Card
      title={t('duplicates.groupTitle', {
        name: group.customers[0]?.name ?? group.key,
        count: group.customers.length,
      })}
      size="small"
    >
      <Row gutter={[12, 12]}>
        {group.customers.map((c) => (
          <Col key={c.id} xs={24} md={12} xl={span}>
            <Card
              size="small"
              type="inner"
              style={{ height: '100%', background: token.colorFillQuaternary }}
              title={
                <Flex gap={8} align="center">
                  <CustomerLink id={c.id}>
                    <ArchiveCode code={c.archiveCode} />
                  </CustomerLink>
                  <CustomerStatusTag status={c.status} overdue={c.filingOverdue} />
                  {c.secrecy !== 'normal' && <SecrecyTag level={c.secrecy} />}
                </Flex>
              }
              actions={[
                <Button
                  key="merge"
                  type="link"
                  icon={<MergeCellsOutlined />}
                  loading={busy}
                  onClick={() => onMerge(c)}
                  data-testid="merge-here"
                >
                  {t('duplicates.mergeHere')}
                </Button>,
              ]}
            >
              <Descriptions
                size="small"
                column={1}
                styles={{ label: { width: 88 } }}
                items={[
                  {
                    key: 'name',
                    label: t('customers.field.name'),
                    children: <Typography.Text strong>{c.name}</Typography.Text>,
                  },
                  { key: 'credit', label: t('customers.creditCodeShort'), children: orDash(c.creditCode) },
                  {
                    key: 'category',
                    label: t('customers.field.category'),
                    children: lookups.label('category', c.category),
                  },
                  { key: 'kind', label: t('customers.field.kind'), children: lookups.label('kind', c.kind) },
                  { key: 'dept', label: t('customers.field.department'), children: orDash(c.departmentName) },
                  {
                    key: 'owners',
                    label: t('customers.field.owners'),
                    children: <OwnerNames names={c.owners} />,
                  },
                  { key: 'region', label: t('customers.field.region'), children: orDash(c.region) },
                  {
                    key: 'contact',
                    label: t('customers.primaryContact'),
                    children: orDash(
                      c.primaryContact && `${c.primaryContact.name} ${c.primaryContact.phone ?? ''}`.trim(),
                    ),
                  },
                  {
                    key: 'updated',
                    label: t('customers.field.updatedAt'),
                    children: formatDateTime(c.updatedAt),
                  },
                ]}
              />
            </Card>
          </Col>
        ))}
      </Row>
      {group.customers.length === 0 && <Empty />}
    </Card>
  );
}
