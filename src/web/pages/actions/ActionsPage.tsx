import { DownloadOutlined, DownOutlined } from '@ant-design/icons';
import { App, Button, Card, Checkbox, Dropdown, Empty, Flex, Radio, Select, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ACTION_STATUS_LABELS, ACTION_STATUSES, type ActionStatus } from '../../../common/actions';
import type { CorrectiveAction } from '../../../common/schemas/actions';
import { type ActionQuery, actionsApi } from '../../api/actions';
import { errorText } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { downloadFile } from '../../components/FileLink';
import { ListCard } from '../../components/ListCard';
import { LoadMore } from '../../components/LoadMore';
import { PageContainer } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { useLabel, useT } from '../../i18n';
import { CompleteActionDrawer, VerifyActionDrawer } from './ActionDrawers';
import { ActionButtons, actionColumns } from './SourceActionsCard';

// 我的措施 /actions: the corrective and preventive actions I own (and, for quality, the general
// manager and the deputy, all of them), soonest due first, with 完成 and 验证 at hand.

function fromParams(params: URLSearchParams, oversee: boolean): ActionQuery {
  const view = params.get('view') === 'all' && oversee ? 'all' : 'mine';
  const status = params.get('status');
  return {
    view,
    status: ACTION_STATUSES.includes(status as ActionStatus) ? (status as ActionStatus) : undefined,
    overdue: params.get('overdue') === 'true' ? 'true' : undefined,
  };
}

const clean = (q: ActionQuery) =>
  Object.fromEntries(
    Object.entries(q).filter(([k, v]) => v !== undefined && !(k === 'view' && v === 'mine')),
  ) as Record<string, string>;

export default function ActionsPage() {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const { can } = useAuth();
  const oversee = can('action.oversee');
  const [params, setParams] = useSearchParams();
  const initial = useMemo(() => fromParams(params, oversee), [params, oversee]);
  const list = useKeysetList<CorrectiveAction, ActionQuery>(
    (q, cursor) => actionsApi.list(q, cursor),
    initial,
  );
  const [completing, setCompleting] = useState<CorrectiveAction | null>(null);
  const [verifying, setVerifying] = useState<CorrectiveAction | null>(null);
  const [exporting, setExporting] = useState(false);
  const f = list.filters;

  const apply = (q: ActionQuery) => {
    setParams(clean(q), { replace: true });
    list.reload(q);
  };
  const exportAs = async (format: 'xlsx' | 'csv') => {
    setExporting(true);
    try {
      await downloadFile(actionsApi.exportUrl(clean(f) as ActionQuery, format));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  };
  const changed = () => {
    setCompleting(null);
    setVerifying(null);
    list.reload();
  };
  const filtered = !!f.status || f.overdue === 'true';

  return (
    <PageContainer
      title={t('actions.title')}
      subTitle={t('actions.intro')}
      extra={
        <Dropdown
          trigger={['click']}
          menu={{
            items: [
              { key: 'xlsx', label: t('actions.export.xlsx') },
              { key: 'csv', label: t('actions.export.csv') },
            ],
            onClick: ({ key }) => exportAs(key as 'xlsx' | 'csv'),
          }}
        >
          <Button icon={<DownloadOutlined />} loading={exporting}>
            {t('actions.export.button')} <DownOutlined />
          </Button>
        </Dropdown>
      }
    >
      <Card>
        <Flex gap={24} wrap align="center">
          {oversee && (
            <Flex gap={8} align="center">
              <Typography.Text>{t('actions.filter.view')}</Typography.Text>
              <Radio.Group
                optionType="button"
                value={f.view ?? 'mine'}
                onChange={(e) => apply({ ...f, view: e.target.value })}
                options={[
                  { value: 'mine', label: t('actions.view.mine') },
                  { value: 'all', label: t('actions.view.all') },
                ]}
              />
            </Flex>
          )}
          <Flex gap={8} align="center">
            <Typography.Text>{t('actions.field.status')}</Typography.Text>
            <Select
              allowClear
              placeholder={t('common.all')}
              style={{ width: 160 }}
              value={f.status}
              onChange={(v) => apply({ ...f, status: v })}
              options={ACTION_STATUSES.map((s) => ({ value: s, label: label(ACTION_STATUS_LABELS[s]) }))}
            />
          </Flex>
          <Checkbox
            checked={f.overdue === 'true'}
            onChange={(e) => apply({ ...f, overdue: e.target.checked ? 'true' : undefined })}
          >
            {t('actions.filter.overdue')}
          </Checkbox>
        </Flex>
      </Card>
      <ListCard title={t('actions.list')} total={null} onRefresh={() => list.reload()}>
        <Table<CorrectiveAction>
          rowKey="id"
          size="middle"
          loading={list.loading}
          dataSource={list.items}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  filtered
                    ? t('common.noMatch')
                    : f.view === 'all'
                      ? t('actions.emptyAll')
                      : t('actions.emptyMine')
                }
              />
            ),
          }}
          columns={[
            {
              title: t('actions.field.source'),
              key: 'source',
              width: 180,
              render: (_, a) => (
                <div>
                  <Link to={a.source.link}>{a.source.label}</Link>
                  {a.customer && (
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {a.customer.name}
                      </Typography.Text>
                    </div>
                  )}
                </div>
              ),
            },
            ...actionColumns(t, true),
            {
              title: t('common.actions'),
              key: 'buttons',
              width: 90,
              render: (_, a) => <ActionButtons a={a} onComplete={setCompleting} onVerify={setVerifying} />,
            },
          ]}
        />
        <LoadMore
          count={list.items.length}
          hasMore={!!list.nextCursor}
          loading={list.loadingMore}
          onLoadMore={list.loadMore}
        />
      </ListCard>
      <CompleteActionDrawer action={completing} onClose={() => setCompleting(null)} onDone={changed} />
      <VerifyActionDrawer action={verifying} onClose={() => setVerifying(null)} onDone={changed} />
    </PageContainer>
  );
}
