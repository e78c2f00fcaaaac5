import { CloudUploadOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, Progress, Table, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { BackupEntry, BackupList, Schedule, ScheduleRun } from '../../../../common/schemas/operations';
import { formatDateTime } from '../../../../common/time';
import { errorText } from '../../../api/client';
import { backupsApi, scheduleApi } from '../../../api/operations';
import { PageContainer } from '../../../components/PageContainer';
import { useStartedJob } from '../../../components/useJob';
import { type MessageKey, type Translate, useT } from '../../../i18n';
import { ScheduleCard } from './ScheduleCard';

export const megabytes = (bytes: number | null) =>
  bytes === null ? '—' : `${(bytes / 1048576).toFixed(1)} MB`;

const STATUS_COLORS: Record<ScheduleRun['status'], string> = {
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
};

function Verified({ b }: { b: BackupEntry }) {
  const t = useT();
  if (!b.complete) return <Tag color="warning">{t('backups.incomplete')}</Tag>;
  if (b.verified === null) return <Tag>{t('backups.unverified')}</Tag>;
  return b.verified ? (
    <Tag color="success">{t('backups.verified')}</Tag>
  ) : (
    <Tooltip title={b.problems.join('；')}>
      <Tag color="error">{t('backups.verifyFailed')}</Tag>
    </Tooltip>
  );
}

/** What a run did, in a line. */
function runSummary(t: Translate, run: ScheduleRun) {
  if (run.error) return <Typography.Text type="danger">{run.error}</Typography.Text>;
  const s = (run.summary ?? {}) as Record<string, unknown>;
  if (run.task === 'backup' && s.name)
    return (
      <>
        {t('schedule.summary.backup', {
          name: String(s.name),
          blobs: Number(s.blobs),
          size: megabytes(Number(s.bytes)),
          deleted: (s.deleted as string[] | undefined)?.length ?? 0,
        })}
        {s.verified === false && (
          <Tooltip title={((s.problems as string[] | undefined) ?? []).join('；')}>
            <Tag color="error" style={{ marginInlineStart: 8 }}>
              {t('backups.verifyFailed')}
            </Tag>
          </Tooltip>
        )}
      </>
    );
  if (run.task === 'integrity_check' && s.reportId)
    return (
      <Link to={`/admin/integrity?report=${s.reportId}`}>
        {s.ok
          ? t('schedule.summary.integrityOk')
          : t('schedule.summary.integrityFailed', { count: Number(s.findings) })}
      </Link>
    );
  if (run.task === 'housekeeping')
    return t('schedule.summary.housekeeping', {
      temp: Number(s.tempFiles ?? 0),
      orphans: Number(s.orphanBlobs ?? 0),
    });
  return null;
}

/** 备份 /admin/backups: the schedule, the backups in the target directory, the scheduler's runs,
 * and 立即备份 (R-L3). */
export default function BackupsPage() {
  const t = useT();
  const { message } = App.useApp();
  const [schedule, setSchedule] = useState<Schedule | null>(null);
  const [backups, setBackups] = useState<BackupList | null>(null);
  const [runs, setRuns] = useState<ScheduleRun[] | null>(null);

  const load = useCallback(async () => {
    try {
      const [s, b, r] = await Promise.all([
        scheduleApi.get(),
        backupsApi.list(),
        scheduleApi.runs({ limit: 20 }),
      ]);
      setSchedule(s);
      setBackups(b);
      setRuns(r.items);
    } catch (e) {
      message.error(errorText(e));
    }
  }, [message]);
  useEffect(() => {
    load();
  }, [load]);
  const { busy, percent, start } = useStartedJob((job) => {
    const result = job.result as { verified?: boolean | null; problems?: string[] } | null;
    if (job.status === 'failed') message.error(job.error ?? t('backups.failed'));
    else if (result?.verified === false)
      message.warning(t('backups.doneWithProblems', { problems: (result.problems ?? []).join('；') }));
    else message.success(t('backups.done'));
    load();
  });

  return (
    <PageContainer
      title={t('backups.title')}
      subTitle={t('backups.intro')}
      extra={
        <>
          <Button icon={<ReloadOutlined />} onClick={load}>
            {t('backups.refresh')}
          </Button>
          <Button
            type="primary"
            icon={<CloudUploadOutlined />}
            loading={busy}
            onClick={() => start(backupsApi.start)}
          >
            {t('backups.now')}
          </Button>
        </>
      }
    >
      {busy && (
        <Card size="small" data-testid="backup-progress">
          <Typography.Text>{t('backups.running')}</Typography.Text>
          <Progress percent={percent} size="small" />
        </Card>
      )}
      {schedule && (
        <ScheduleCard
          schedule={schedule}
          onSaved={(s) => {
            setSchedule(s);
            load();
          }}
        />
      )}
      <Card
        data-testid="backup-list"
        title={t('backups.listTitle')}
        extra={backups && <Typography.Text code>{backups.dir}</Typography.Text>}
      >
        {backups && !backups.readable && (
          <Alert
            type="warning"
            showIcon
            title={t('backups.unreadable', { dir: backups.dir })}
            style={{ marginBottom: 12 }}
          />
        )}
        <Table<BackupEntry>
          rowKey="name"
          size="middle"
          loading={!backups}
          pagination={false}
          dataSource={backups?.items ?? []}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('backups.none')} />,
          }}
          columns={[
            {
              title: t('backups.time'),
              dataIndex: 'createdAt',
              width: 180,
              render: (v: string | null) => formatDateTime(v),
            },
            { title: t('backups.name'), dataIndex: 'name', width: 190 },
            { title: t('backups.size'), dataIndex: 'bytes', width: 110, render: megabytes },
            {
              title: t('backups.records'),
              key: 'counts',
              render: (_, b) =>
                b.counts
                  ? t('backups.counts', {
                      customers: b.counts.customers,
                      documents: b.counts.documents,
                      files: b.counts.files,
                      audit: b.counts.auditEntries,
                    })
                  : '—',
            },
            {
              title: t('backups.blobs'),
              dataIndex: 'blobs',
              width: 100,
              render: (v: number | null) => v ?? '—',
            },
            { title: t('backups.check'), key: 'verified', width: 110, render: (_, b) => <Verified b={b} /> },
          ]}
        />
      </Card>
      <Card title={t('schedule.runsTitle')}>
        <Table<ScheduleRun>
          rowKey="id"
          size="middle"
          loading={!runs}
          pagination={false}
          dataSource={runs ?? []}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('schedule.noRuns')} />,
          }}
          columns={[
            {
              title: t('schedule.task'),
              dataIndex: 'task',
              width: 130,
              render: (task: string) => t(`schedule.task.${task}` as MessageKey),
            },
            {
              title: t('schedule.startedAt'),
              dataIndex: 'startedAt',
              width: 180,
              render: (v: string) => formatDateTime(v),
            },
            {
              title: t('schedule.duration'),
              key: 'duration',
              width: 100,
              render: (_, r) =>
                r.finishedAt
                  ? t('schedule.seconds', {
                      n: Math.max(0, Math.round((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000)),
                    })
                  : '—',
            },
            {
              title: t('schedule.outcome'),
              dataIndex: 'status',
              width: 100,
              render: (s: ScheduleRun['status']) => (
                <Tag color={STATUS_COLORS[s]}>{t(`schedule.status.${s}` as MessageKey)}</Tag>
              ),
            },
            { title: t('schedule.summary'), key: 'summary', render: (_, r) => runSummary(t, r) },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
