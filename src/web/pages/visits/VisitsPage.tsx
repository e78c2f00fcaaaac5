import { SettingOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Flex, Segmented, Tabs } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import type { VisitTask, VisitTodo } from '../../../common/schemas/visits';
import { type VisitQuery, visitsApi } from '../../api/visits';
import { useAuth, useMe } from '../../auth/AuthContext';
import { LoadMore } from '../../components/LoadMore';
import { PageContainer } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { useT } from '../../i18n';
import { VisitTable } from './shared';

type View = 'mine' | 'department' | 'all';
type Due = 'open' | 'overdue' | 'today' | 'upcoming' | 'done';
const DUES: Due[] = ['open', 'overdue', 'today', 'upcoming', 'done'];

function queryOf(view: View, due: Due): VisitQuery {
  if (due === 'done') return { view, status: 'done' };
  if (due === 'open') return { view, status: 'open' };
  return { view, due };
}

/** 我的回访 /visits (R-V2): the reader's open, due-today and overdue visits; the department
 * view for a manager; every visit the reader may see. */
export default function VisitsPage() {
  const t = useT();
  const me = useMe();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const manager = me.roles.includes('department_manager');
  const view = (
    ['mine', 'department', 'all'].includes(params.get('view') ?? '') ? params.get('view') : 'mine'
  ) as View;
  const due = (DUES.includes(params.get('due') as Due) ? params.get('due') : 'open') as Due;
  const [todo, setTodo] = useState<VisitTodo | null>(null);
  const list = useKeysetList<VisitTask, VisitQuery>(
    (q, cursor) => visitsApi.list(q, cursor),
    queryOf(view, due),
  );
  const refreshTodo = () =>
    visitsApi
      .todo()
      .then(setTodo)
      .catch(() => {});
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the filters change
  useEffect(() => {
    list.reload(queryOf(view, due));
  }, [view, due]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once
  useEffect(() => {
    refreshTodo();
  }, []);
  const counts = view === 'department' ? todo?.department : view === 'mine' ? todo?.mine : null;
  const badge = (key: Due) => {
    const n = !counts
      ? 0
      : key === 'open'
        ? counts.open
        : key === 'overdue'
          ? counts.overdue
          : key === 'today'
            ? counts.dueToday
            : 0;
    return n ? (
      <Badge count={n} color={key === 'overdue' ? 'red' : key === 'today' ? 'orange' : 'blue'} />
    ) : null;
  };
  const set = (next: { view?: View; due?: Due }) =>
    setParams({ view: next.view ?? view, due: next.due ?? due }, { replace: true });
  return (
    <PageContainer
      title={t('visits.title')}
      subTitle={t('visits.intro')}
      extra={
        can('visit.configure') && (
          <Button icon={<SettingOutlined />} onClick={() => navigate('/visits/settings')}>
            {t('nav.visitSettings')}
          </Button>
        )
      }
    >
      <Card>
        <Flex vertical gap={8}>
          <Segmented<View>
            value={view}
            onChange={(v) => set({ view: v })}
            options={[
              { value: 'mine', label: t('visits.view.mine') },
              ...(manager ? [{ value: 'department' as View, label: t('visits.view.department') }] : []),
              { value: 'all', label: t('visits.view.all') },
            ]}
            data-testid="visit-view"
          />
          <Tabs
            activeKey={due}
            onChange={(k) => set({ due: k as Due })}
            items={DUES.map((k) => ({
              key: k,
              label: (
                <Flex gap={6} align="center">
                  {t(`visits.tab.${k}`)}
                  {badge(k)}
                </Flex>
              ),
            }))}
          />
          <VisitTable
            items={list.items}
            loading={list.loading}
            empty={t('visits.empty')}
            onChanged={() => {
              list.reload();
              refreshTodo();
            }}
          />
          <LoadMore
            count={list.items.length}
            hasMore={!!list.nextCursor}
            loading={list.loadingMore}
            onLoadMore={list.loadMore}
          />
        </Flex>
      </Card>
    </PageContainer>
  );
}
