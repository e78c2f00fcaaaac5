import { Alert, Card, Empty, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { SurveyResponse } from '../../../common/schemas/surveys';
import { SURVEY_CHANNEL_LABELS } from '../../../common/surveys';
import { errorText } from '../../api/client';
import { surveysApi } from '../../api/surveys';
import { useLabel, useT } from '../../i18n';
import { IndexValue, LevelTag } from './shared';

/** 满意度调查 in the archive's 回访 tab: the customer's answered forms with their index. */
export function CustomerSurveysSection({ customerId }: { customerId: string }) {
  const t = useT();
  const label = useLabel();
  const [items, setItems] = useState<SurveyResponse[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    surveysApi
      .customerSurveys(customerId)
      .then((x) => live && setItems(x))
      .catch((e) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [customerId]);
  return (
    <Card size="small" title={t('surveys.customer.title')} data-testid="customer-surveys">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<SurveyResponse>
        rowKey="id"
        size="small"
        loading={!items && !error}
        dataSource={items ?? []}
        pagination={false}
        scroll={{ x: 700 }}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('surveys.customer.empty')} />,
        }}
        columns={[
          {
            title: t('surveys.col.campaign'),
            key: 'campaign',
            render: (_, r) => (
              <Link to={`/surveys/responses/${r.id}`} data-testid="customer-survey-link">
                {r.campaign.name}
              </Link>
            ),
          },
          {
            title: t('surveys.field.period'),
            key: 'period',
            width: 90,
            render: (_, r) => r.campaign.periodLabel,
          },
          { title: t('surveys.field.answeredOn'), dataIndex: 'answeredOn', width: 110 },
          {
            title: t('surveys.field.channel'),
            key: 'channel',
            width: 120,
            render: (_, r) => (
              <Typography.Text>
                {label(SURVEY_CHANNEL_LABELS[r.channel])}
                {r.contactName ? ` · ${r.contactName}` : ''}
              </Typography.Text>
            ),
          },
          {
            title: t('surveys.col.index'),
            key: 'index',
            width: 80,
            align: 'right',
            render: (_, r) => <IndexValue value={r.index} />,
          },
          {
            title: t('surveys.response.overall'),
            key: 'overall',
            width: 100,
            render: (_, r) => <LevelTag level={r.overall} />,
          },
          {
            title: t('surveys.response.actionCol'),
            key: 'action',
            width: 110,
            render: (_, r) => (r.action ? <Link to="/actions?view=all">{r.action.number}</Link> : '—'),
          },
        ]}
      />
    </Card>
  );
}
