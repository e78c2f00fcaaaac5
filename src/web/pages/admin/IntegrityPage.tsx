import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Empty, Progress, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { IntegrityFinding, StoredIntegrityReport } from '../../../common/schemas/integrity';
import type { Schedule } from '../../../common/schemas/operations';
import { formatDateTime } from '../../../common/time';
import { errorText, isApiError } from '../../api/client';
import { integrityApi, scheduleApi } from '../../api/operations';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer } from '../../components/PageContainer';
import { useStartedJob } from '../../components/useJob';
import { type MessageKey, useT } from '../../i18n';
import { IntegrityHistory, type IntegrityHistoryHandle } from './IntegrityHistory';

const ASPECT_COLORS: Record<IntegrityFinding['aspect'], string> = {
  fixity: 'red',
  completeness: 'orange',
  usability: 'gold',
  security: 'purple',
};

/** 完整性检查 /admin/integrity: run the 四性 check and read its findings (R-L2). */
export default function IntegrityPage() {
  const t = useT();
  const { message } = App.useApp();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const reportId = params.get('report');
  const [report, setReport] = useState<StoredIntegrityReport | null>(null);
  const [latestId, setLatestId] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [schedule, setSchedule] = useState<Schedule | null>(null);
  const history = useRef<IntegrityHistoryHandle>(null);

  const load = useCallback(async () => {
    try {
      const latest = await integrityApi.latest().catch((e) => {
        if (isApiError(e) && e.status === 404) return null;
        throw e;
      });
      setLatestId(latest?.id ?? null);
      setReport(reportId && reportId !== latest?.id ? await integrityApi.get(reportId) : latest);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setLoaded(true);
    }
  }, [message, reportId]);
  useEffect(() => {
    load();
  }, [load]);
  useEffect(() => {
    if (can('system.schedule')) scheduleApi.get().then(setSchedule, () => undefined);
  }, [can]);
  const { busy, percent, start } = useStartedJob((job) => {
    if (job.status === 'failed') message.error(job.error ?? t('integrity.failedToRun'));
    if (reportId) setParams({});
    else load();
    history.current?.reload();
  });
  const old = !!report && !!latestId && report.id !== latestId;

  return (
    <PageContainer
      title={t('integrity.title')}
      subTitle={t('integrity.intro')}
      extra={
        <Button
          type="primary"
          icon={<SafetyCertificateOutlined />}
          loading={busy}
          onClick={() => start(integrityApi.start)}
        >
          {t('integrity.run')}
        </Button>
      }
    >
      {schedule && (
        <Typography.Text type="secondary" data-testid="integrity-schedule">
          {schedule.integrityEnabled
            ? t('schedule.integrityLine', { time: schedule.integrityTime })
            : t('schedule.integrityOff')}{' '}
          <Link to="/admin/backups">{t('schedule.change')}</Link>
        </Typography.Text>
      )}
      {old && report && (
        <Alert
          type="info"
          showIcon
          title={t('schedule.viewingOld', { at: formatDateTime(report.checkedAt) })}
          action={
            <Button size="small" onClick={() => setParams({})}>
              {t('schedule.backToLatest')}
            </Button>
          }
        />
      )}
      {busy && (
        <Card size="small">
          <Typography.Text>{t('integrity.running')}</Typography.Text>
          <Progress percent={percent} size="small" />
        </Card>
      )}
      {loaded && !report && !busy && (
        <Card>
          <Empty description={t('integrity.never')} />
        </Card>
      )}
      {report && (
        <>
          <Alert
            type={report.ok ? 'success' : 'error'}
            showIcon
            title={
              report.ok
                ? t('integrity.ok', { at: formatDateTime(report.checkedAt) })
                : t('integrity.failed', {
                    at: formatDateTime(report.checkedAt),
                    count: report.findings.length,
                  })
            }
          />
          <Card>
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2, lg: 4 }}
              items={[
                { key: 'documents', label: t('integrity.documents'), children: report.counts.documents },
                { key: 'blobs', label: t('integrity.blobs'), children: report.counts.blobs },
                {
                  key: 'bytes',
                  label: t('integrity.bytes'),
                  children: `${(report.counts.bytes / 1048576).toFixed(1)} MB`,
                },
                { key: 'audit', label: t('integrity.auditEntries'), children: report.counts.auditEntries },
              ]}
            />
          </Card>
          <Card title={t('integrity.findings')}>
            <Table<IntegrityFinding & { key: number }>
              rowKey="key"
              size="middle"
              pagination={report.findings.length > 50 ? { pageSize: 50 } : false}
              dataSource={report.findings.map((f, key) => ({ ...f, key }))}
              locale={{
                emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('integrity.none')} />,
              }}
              columns={[
                {
                  title: t('integrity.aspect'),
                  dataIndex: 'aspect',
                  width: 110,
                  render: (a: IntegrityFinding['aspect']) => (
                    <Tag color={ASPECT_COLORS[a]}>{t(`integrity.aspect.${a}` as MessageKey)}</Tag>
                  ),
                },
                {
                  title: t('integrity.problem'),
                  dataIndex: 'problem',
                  width: 150,
                  render: (p: IntegrityFinding['problem']) => t(`integrity.problem.${p}` as MessageKey),
                },
                {
                  title: t('integrity.record'),
                  key: 'record',
                  width: 260,
                  render: (_, f) =>
                    f.documentId ? (
                      <span>
                        <Link to={`/documents/${f.documentId}`}>{f.title}</Link>
                        {f.fileName && <Typography.Text type="secondary"> {f.fileName}</Typography.Text>}
                      </span>
                    ) : f.customerId ? (
                      <Link to={`/customers/${f.customerId}`}>{f.title}</Link>
                    ) : (
                      <Typography.Text type="secondary">
                        {f.secrecy !== undefined ? t('integrity.hiddenRecord') : '—'}
                      </Typography.Text>
                    ),
                },
                { title: t('integrity.detail'), dataIndex: 'detail' },
              ]}
            />
          </Card>
        </>
      )}
      <IntegrityHistory
        ref={history}
        current={report?.id ?? null}
        onOpen={(id) => setParams({ report: id })}
      />
    </PageContainer>
  );
}
