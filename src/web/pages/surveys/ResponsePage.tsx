import { FilePdfOutlined, FileTextOutlined, WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Result,
  Row,
  Space,
  Statistic,
  Table,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ACTION_STATUSES, type ActionStatus } from '../../../common/actions';
import type { SurveyResponse } from '../../../common/schemas/surveys';
import { SURVEY_CHANNEL_LABELS, SURVEY_QUESTION_TYPE_LABELS } from '../../../common/surveys';
import { formatDateTime } from '../../../common/time';
import { errorText, isApiError } from '../../api/client';
import { surveysApi } from '../../api/surveys';
import { FileLink } from '../../components/FileLink';
import { SecrecyTag } from '../../components/labels';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { useLabel, useT } from '../../i18n';
import { ActionStatusTag } from '../actions/shared';
import { LevelTag, orDash } from './shared';

type Answer = SurveyResponse['answers'][number];

/** 答卷 /surveys/responses/:id: the answers, the index, the filed form and the corrective action. */
export default function ResponsePage() {
  const { id = '' } = useParams();
  const t = useT();
  const label = useLabel();
  const navigate = useNavigate();
  const [r, setResponse] = useState<SurveyResponse | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setResponse(await surveysApi.response(id));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => {
    setResponse(null);
    load();
  }, [load]);

  if (isApiError(error) && error.status === 404) {
    return (
      <Result
        status="404"
        title={t('surveys.response.notFound')}
        extra={
          <Button type="primary" onClick={() => navigate('/surveys')}>
            {t('surveys.backToList')}
          </Button>
        }
      />
    );
  }
  if (error && !r) {
    return (
      <Result
        status="error"
        title={errorText(error)}
        extra={
          <Button type="primary" onClick={load}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  if (!r) {
    return (
      <PageContainer title={t('surveys.response.title')}>
        <PageSpin />
      </PageContainer>
    );
  }

  return (
    <PageContainer
      title={`${t('surveys.response.title')} · ${r.customer.name}`}
      subTitle={
        <Space size={8} wrap>
          {r.secrecy !== 'normal' && <SecrecyTag level={r.secrecy} />}
          <Link to={`/surveys/${r.campaign.id}`}>
            {r.campaign.number} {r.campaign.name}
          </Link>
          <span>
            {r.template.name} v{r.template.version}
          </span>
        </Space>
      }
      extra={
        <FileLink icon={<FilePdfOutlined />} href={surveysApi.responsePdfUrl(r.id)} inline>
          {t('surveys.response.pdf')}
        </FileLink>
      }
    >
      {r.document && (
        <Alert
          type="success"
          showIcon
          icon={<FileTextOutlined />}
          title={
            <span>
              {t('surveys.response.filed')}
              <Link to={`/documents/${r.document.id}`} data-testid="response-document">
                {r.document.archiveNo ?? t('surveys.response.filedNoNumber')}
              </Link>
            </span>
          }
        />
      )}
      {r.action && (
        <Alert
          type="warning"
          showIcon
          icon={<WarningOutlined />}
          title={
            <span>
              {t('surveys.response.action')}
              <Link to="/actions?view=all" data-testid="response-action">
                {r.action.number}
              </Link>
              {ACTION_STATUSES.includes(r.action.status as ActionStatus) && (
                <ActionStatusTag status={r.action.status as ActionStatus} />
              )}
            </span>
          }
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('surveys.col.index')}
              value={r.index === null ? '—' : r.index.toFixed(1)}
              styles={r.anyPoor ? { content: { color: '#cf1322' } } : undefined}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('surveys.response.overall')}
              valueRender={() => <LevelTag level={r.overall} />}
            />
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card style={{ height: '100%' }}>
            <Descriptions
              size="small"
              column={1}
              items={[
                {
                  key: 'customer',
                  label: t('surveys.col.customer'),
                  children: (
                    <Link to={`/customers/${r.customer.id}?tab=visits`}>
                      {r.customer.code} {r.customer.name}
                    </Link>
                  ),
                },
                { key: 'contact', label: t('surveys.field.contact'), children: orDash(r.contactName) },
                {
                  key: 'channel',
                  label: t('surveys.field.channel'),
                  children: `${label(SURVEY_CHANNEL_LABELS[r.channel])}${r.enteredBy ? ` · ${t('surveys.response.enteredBy', { name: r.enteredBy.name })}` : ''}`,
                },
                {
                  key: 'answeredOn',
                  label: t('surveys.field.answeredOn'),
                  children: `${r.answeredOn}（${t('surveys.response.recordedAt', { at: formatDateTime(r.answeredAt) })}）`,
                },
                { key: 'period', label: t('surveys.field.period'), children: r.campaign.periodLabel },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card title={t('surveys.response.answers')}>
        <Table<Answer>
          rowKey="key"
          size="middle"
          pagination={false}
          dataSource={r.answers}
          columns={[
            {
              title: t('surveys.col.question'),
              key: 'label',
              render: (_, a, i) => `${i + 1}. ${a.label}`,
            },
            {
              title: t('surveys.col.type'),
              key: 'type',
              width: 110,
              render: (_, a) => label(SURVEY_QUESTION_TYPE_LABELS[a.type]),
            },
            {
              title: t('surveys.col.answer'),
              key: 'answer',
              render: (_, a) =>
                a.type === 'text' ? (
                  <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                    {orDash(a.text)}
                  </Typography.Paragraph>
                ) : (
                  <LevelTag level={a.level} />
                ),
            },
            {
              title: t('surveys.col.score'),
              key: 'score',
              width: 90,
              align: 'right',
              render: (_, a) => (a.type === 'rating' && a.score !== null ? a.score : '—'),
            },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
