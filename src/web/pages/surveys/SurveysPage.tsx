import { BarChartOutlined, FormOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Segmented, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { SurveyCampaign } from '../../../common/schemas/surveys';
import {
  SURVEY_CAMPAIGN_STATUS_LABELS,
  SURVEY_CAMPAIGN_STATUSES,
  type SurveyCampaignStatus,
} from '../../../common/surveys';
import { formatDateTime } from '../../../common/time';
import { type CampaignQuery, surveysApi } from '../../api/surveys';
import { useAuth } from '../../auth/AuthContext';
import { LoadMore } from '../../components/LoadMore';
import { PageContainer } from '../../components/PageContainer';
import { useKeysetList } from '../../components/useKeysetList';
import { useLabel, useT } from '../../i18n';
import { NewCampaignDrawer } from './NewCampaignDrawer';
import { CampaignProgress, CampaignStatusTag, IndexValue } from './shared';

type StatusFilter = SurveyCampaignStatus | 'all';

/** 满意度调查 /surveys (R-V3): the campaigns, newest first, with their progress and index. */
export default function SurveysPage() {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const navigate = useNavigate();
  const manage = can('survey.manage');
  const [params, setParams] = useSearchParams();
  const status = (
    SURVEY_CAMPAIGN_STATUSES.includes(params.get('status') as SurveyCampaignStatus)
      ? params.get('status')
      : 'all'
  ) as StatusFilter;
  const queryOf = (s: StatusFilter): CampaignQuery => (s === 'all' ? {} : { status: s });
  const list = useKeysetList<SurveyCampaign, CampaignQuery>(
    (q, cursor) => surveysApi.campaigns(q, cursor),
    queryOf(status),
  );
  const [creating, setCreating] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the filter changes
  useEffect(() => {
    list.reload(queryOf(status));
  }, [status]);

  const empty =
    status !== 'all'
      ? t('surveys.list.emptyStatus')
      : manage
        ? t('surveys.list.emptyManager')
        : t('surveys.list.empty');

  return (
    <PageContainer
      title={t('surveys.title')}
      subTitle={t('surveys.intro')}
      extra={
        <>
          {can('survey.read') && (
            <Button icon={<BarChartOutlined />} onClick={() => navigate('/surveys/results')}>
              {t('nav.surveyResults')}
            </Button>
          )}
          {manage && (
            <Button icon={<FormOutlined />} onClick={() => navigate('/surveys/templates')}>
              {t('nav.surveyTemplates')}
            </Button>
          )}
          {manage && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="new-campaign"
            >
              {t('surveys.new')}
            </Button>
          )}
        </>
      }
    >
      <Card>
        <Flex vertical gap={12}>
          <Segmented<StatusFilter>
            value={status}
            onChange={(v) => setParams(v === 'all' ? {} : { status: v }, { replace: true })}
            options={[
              { value: 'all', label: t('common.all') },
              ...SURVEY_CAMPAIGN_STATUSES.map((s) => ({
                value: s as StatusFilter,
                label: label(SURVEY_CAMPAIGN_STATUS_LABELS[s]),
              })),
            ]}
            data-testid="campaign-status-filter"
          />
          <Table<SurveyCampaign>
            rowKey="id"
            size="middle"
            loading={list.loading}
            dataSource={list.items}
            pagination={false}
            scroll={{ x: 1000 }}
            locale={{
              emptyText: (
                <Empty description={empty}>
                  {manage && status === 'all' && (
                    <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                      {t('surveys.new')}
                    </Button>
                  )}
                </Empty>
              ),
            }}
            columns={[
              {
                title: t('surveys.col.campaign'),
                key: 'name',
                render: (_, c) => (
                  <Flex vertical gap={0}>
                    <Link to={`/surveys/${c.id}`} data-testid="campaign-link">
                      {c.name}
                    </Link>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {c.number} · {c.template.name} v{c.template.version}
                    </Typography.Text>
                  </Flex>
                ),
              },
              { title: t('surveys.col.period'), dataIndex: 'periodLabel', width: 100 },
              {
                title: t('surveys.col.status'),
                key: 'status',
                width: 100,
                render: (_, c) => <CampaignStatusTag status={c.status} />,
              },
              {
                title: t('surveys.col.dates'),
                key: 'dates',
                width: 190,
                render: (_, c) => (
                  <Flex vertical gap={0} style={{ fontSize: 13 }}>
                    <span>
                      {t('surveys.field.sentAt')}
                      {t('common.colon')}
                      {c.sentAt ? formatDateTime(c.sentAt).slice(0, 16) : '—'}
                    </span>
                    <span>
                      {t('surveys.field.closesOn')}
                      {t('common.colon')}
                      {c.closesOn}
                    </span>
                  </Flex>
                ),
              },
              {
                title: t('surveys.col.progress'),
                key: 'progress',
                width: 260,
                render: (_, c) => <CampaignProgress progress={c.progress} compact />,
              },
              {
                title: t('surveys.col.index'),
                key: 'index',
                width: 100,
                align: 'right',
                render: (_, c) => <IndexValue value={c.index} low={c.lowIndex} />,
              },
            ]}
          />
          <LoadMore
            count={list.items.length}
            hasMore={!!list.nextCursor}
            loading={list.loadingMore}
            onLoadMore={list.loadMore}
          />
        </Flex>
      </Card>
      {manage && (
        <NewCampaignDrawer
          open={creating}
          onClose={() => setCreating(false)}
          onDone={(c) => {
            setCreating(false);
            navigate(`/surveys/${c.id}`);
          }}
        />
      )}
    </PageContainer>
  );
}
