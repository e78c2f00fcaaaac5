import {
  CheckCircleOutlined,
  CloudUploadOutlined,
  DownloadOutlined,
  FileExcelOutlined,
  InboxOutlined,
  ReloadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Progress,
  Result,
  Row,
  Statistic,
  Steps,
  Table,
  type TableColumnsType,
  Typography,
  Upload,
} from 'antd';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { CUSTOMER_COLUMNS } from '../../../common/customer-columns';
import type { ImportProblem, ImportResult, Job } from '../../../common/schemas/jobs';
import { errorText } from '../../api/client';
import { importApi } from '../../api/customers';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { running, useJob } from '../../components/useJob';
import { useLabel, useT } from '../../i18n';

// The import wizard (导入): 1 choose a file, 2 dry run and check, 3 import. Its place is kept in
// the address (?dry=<job>&run=<job>) and in this tab's session, so that neither a reload nor a
// trip to another page loses it.

const SESSION_KEY = 'kedang.customerImport';

interface Saved {
  dry: string;
  run?: string;
  fileName?: string;
}

function readSaved(): Saved | null {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as Saved) : null;
  } catch {
    return null;
  }
}

function writeSaved(s: Saved | null): void {
  try {
    if (s) sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
    else sessionStorage.removeItem(SESSION_KEY);
  } catch {
    // Storage unavailable: the address still keeps the place.
  }
}

export default function ImportPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const dryId = params.get('dry');
  const runId = params.get('run');
  const [saved, setSaved] = useState<Saved | null>(() => (dryId ? null : readSaved()));
  const step = runId ? 2 : dryId ? 1 : 0;
  // The last step turns green once the import has run.
  const [ran, setRan] = useState(false);

  const go = useCallback(
    (next: Saved | null) => {
      writeSaved(next);
      setParams(next ? { dry: next.dry, ...(next.run ? { run: next.run } : {}) } : {});
    },
    [setParams],
  );

  // Keep the session copy in step with the address (e.g. after a reload with ?dry=…).
  useEffect(() => {
    if (dryId) writeSaved({ ...readSaved(), dry: dryId, ...(runId ? { run: runId } : {}) });
  }, [dryId, runId]);

  return (
    <PageContainer title={t('import.title')} subTitle={t('import.subtitle')}>
      <Card>
        <Steps
          current={step === 2 && ran ? 3 : step}
          items={[
            { title: t('import.step.choose'), content: t('import.step.chooseSub') },
            { title: t('import.step.check'), content: t('import.step.checkSub') },
            { title: t('import.step.run'), content: t('import.step.runSub') },
          ]}
          style={{ maxWidth: 900, margin: '8px auto 0' }}
        />
      </Card>
      {step === 0 && saved && (
        <Alert
          type="info"
          showIcon
          title={t('import.resumeTitle', { name: saved.fileName ?? '' })}
          action={
            <Flex gap={8}>
              <Button size="small" type="primary" onClick={() => go(saved)}>
                {t('import.resume')}
              </Button>
              <Button
                size="small"
                onClick={() => {
                  writeSaved(null);
                  setSaved(null);
                }}
              >
                {t('import.discard')}
              </Button>
            </Flex>
          }
        />
      )}
      {step === 0 && <ChooseStep onStarted={(job, fileName) => go({ dry: job.id, fileName })} />}
      {step === 1 && dryId && (
        <CheckStep
          jobId={dryId}
          onRestart={() => go(null)}
          onCommitted={(job) => go({ ...(readSaved() ?? { dry: dryId }), dry: dryId, run: job.id })}
        />
      )}
      {step === 2 && runId && <RunStep jobId={runId} onRestart={() => go(null)} onFinished={setRan} />}
    </PageContainer>
  );
}

function ChooseStep({ onStarted }: { onStarted: (job: Job, fileName: string) => void }) {
  const t = useT();
  const label = useLabel();
  const required = CUSTOMER_COLUMNS.filter((c) => c.required).map((c) => label(c.header));
  return (
    <ChooseSheet
      intro={t('import.templateIntro')}
      templateUrl={importApi.templateUrl()}
      rules={[
        t('import.ruleRequired', { columns: required.join('、') }),
        t('import.ruleUpdate'),
        t('import.ruleLabels'),
        t('import.ruleEncoding'),
        t('import.ruleDry'),
      ]}
      upload={(file, onProgress) => importApi.start(file, true, onProgress)}
      onStarted={onStarted}
      testId="start-dry-run"
    />
  );
}

/** Step 1 of an import: the template with how to fill it in, and the upload that starts the dry
 * run (shared with the orders import). */
export function ChooseSheet({
  intro,
  templateUrl,
  rules,
  upload,
  onStarted,
  testId,
}: {
  intro: string;
  /** The template to download; without one, `intro` says what the file should look like. */
  templateUrl?: string;
  rules: string[];
  upload: (file: File, onProgress: (percent: number) => void) => Promise<{ job: Job }>;
  onStarted: (job: Job, fileName: string) => void;
  testId: string;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [percent, setPercent] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const start = async () => {
    if (!file) return;
    setError(null);
    setPercent(0);
    try {
      const { job } = await upload(file, setPercent);
      onStarted(job, file.name);
    } catch (e) {
      setError(errorText(e));
      setPercent(null);
    }
  };

  return (
    <Row gutter={16}>
      <Col xs={24} lg={9}>
        <Card title={t('import.templateTitle')} style={{ height: '100%' }}>
          <Flex vertical gap={12}>
            <Typography.Paragraph style={{ margin: 0 }}>{intro}</Typography.Paragraph>
            {templateUrl && (
              <Button icon={<DownloadOutlined />} href={templateUrl} style={{ alignSelf: 'flex-start' }}>
                {t('import.downloadTemplate')}
              </Button>
            )}
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              <ul style={{ paddingInlineStart: 18, margin: 0, lineHeight: 1.9 }}>
                {rules.map((rule) => (
                  <li key={rule}>{rule}</li>
                ))}
              </ul>
            </Typography.Paragraph>
          </Flex>
        </Card>
      </Col>
      <Col xs={24} lg={15}>
        <Card title={t('import.chooseTitle')} style={{ height: '100%' }}>
          <Flex vertical gap={16}>
            {error && <Alert type="error" showIcon title={error} />}
            <Upload.Dragger
              accept=".xlsx,.csv"
              multiple={false}
              maxCount={1}
              disabled={percent !== null}
              fileList={
                file
                  ? [{ uid: 'file', name: file.name, size: file.size, status: 'done', type: file.type }]
                  : []
              }
              beforeUpload={(f) => {
                const ok = /\.(xlsx|csv)$/i.test(f.name);
                if (!ok) message.error(t('import.wrongType'));
                else {
                  setFile(f);
                  setError(null);
                }
                return Upload.LIST_IGNORE;
              }}
              onRemove={() => {
                setFile(null);
                return true;
              }}
              iconRender={() => <FileExcelOutlined />}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('import.dropHere')}</p>
              <p className="ant-upload-hint">{t('import.dropHint')}</p>
            </Upload.Dragger>
            {percent !== null && (
              <Progress
                percent={percent}
                status="active"
                format={(p) => t('import.uploading', { percent: p ?? 0 })}
              />
            )}
            <Flex justify="flex-end">
              <Button
                type="primary"
                icon={<CloudUploadOutlined />}
                disabled={!file}
                loading={percent !== null}
                onClick={start}
                data-testid={testId}
              >
                {t('import.startDryRun')}
              </Button>
            </Flex>
          </Flex>
        </Card>
      </Col>
    </Row>
  );
}

/** A running import job's progress (shared with the orders import). */
export function JobProgress({ job, text }: { job: Job | null; text: string }) {
  const t = useT();
  const done = job?.progress.done ?? 0;
  const total = job?.progress.total ?? null;
  const percent = total ? Math.min(100, Math.floor((done / total) * 100)) : 0;
  return (
    <Card>
      <Flex vertical align="center" gap={16} style={{ padding: '32px 0' }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {text}
        </Typography.Title>
        <Progress percent={percent} status="active" style={{ maxWidth: 560 }} showInfo={!!total} />
        <Typography.Text type="secondary">
          {!job || job.status === 'queued'
            ? t('import.queued')
            : total
              ? t('import.progress', { done, total })
              : t('import.progressNoTotal', { done })}
        </Typography.Text>
      </Flex>
    </Card>
  );
}

function ResultCounts({ result, dry }: { result: ImportResult; dry: boolean }) {
  const t = useT();
  const items = [
    { key: 'rows', title: t('import.count.rows'), value: result.rows },
    {
      key: 'created',
      title: dry ? t('import.count.willCreate') : t('import.count.created'),
      value: result.created,
      color: '#389e0d',
    },
    {
      key: 'updated',
      title: dry ? t('import.count.willUpdate') : t('import.count.updated'),
      value: result.updated,
      color: '#1677ff',
    },
    { key: 'unchanged', title: t('import.count.unchanged'), value: result.unchanged },
    {
      key: 'failed',
      title: t('import.count.failed'),
      value: result.failed,
      color: result.failed ? '#cf1322' : undefined,
    },
  ];
  return (
    <Row gutter={[16, 16]}>
      {items.map((i) => (
        <Col key={i.key} xs={12} md={8} xl={4}>
          <Statistic title={i.title} value={i.value} styles={{ content: { color: i.color } }} />
        </Col>
      ))}
    </Row>
  );
}

/** The row problems of an import with the error sheet to download (shared with the orders import). */
export function ProblemTable({ result, errorsUrl }: { result: ImportResult; errorsUrl: string }) {
  const t = useT();
  const columns: TableColumnsType<ImportProblem> = [
    { title: t('import.problem.row'), dataIndex: 'row', width: 80 },
    {
      title: t('import.problem.column'),
      dataIndex: 'column',
      width: 180,
      render: (v: string) =>
        v || <Typography.Text type="secondary">{t('import.problem.wholeRow')}</Typography.Text>,
    },
    { title: t('import.problem.message'), dataIndex: 'message' },
  ];
  if (result.failed === 0 && result.problems.length === 0) return null;
  return (
    <Card
      title={t('import.problemsTitle', { count: result.failed })}
      extra={
        <Button icon={<DownloadOutlined />} href={errorsUrl}>
          {t('import.downloadErrors')}
        </Button>
      }
    >
      {result.problems.length < result.failed && (
        <Typography.Paragraph type="secondary">
          {t('import.problemsFirst', { shown: result.problems.length })}
        </Typography.Paragraph>
      )}
      <Table<ImportProblem>
        rowKey={(p) => `${p.row}:${p.column}:${p.message}`}
        size="small"
        columns={columns}
        dataSource={result.problems}
        pagination={result.problems.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
      />
    </Card>
  );
}

/** An import job that failed as a whole (shared with the orders import). */
export function JobFailed({
  job,
  error,
  onRestart,
}: {
  job: Job | null;
  error: unknown;
  onRestart: () => void;
}) {
  const t = useT();
  return (
    <Card>
      <Result
        status="error"
        title={t('import.failedTitle')}
        subTitle={job?.error ?? (error ? errorText(error) : '')}
        extra={
          <Button type="primary" icon={<ReloadOutlined />} onClick={onRestart}>
            {t('import.restart')}
          </Button>
        }
      />
    </Card>
  );
}

/**
 * The card of a finished dry run (every sheet import): what it found, whether the rows are good,
 * and the button that starts the real run after a confirmation (the click is taken once).
 */
export function CheckedSheet({
  result,
  counts,
  failed,
  commitText,
  commitDisabled,
  confirm,
  onCommit,
  onRestart,
  testId,
}: {
  result: ImportResult;
  counts: ReactNode;
  /** The alert when rows failed: whether the good rows can still be imported. */
  failed: { type: 'warning' | 'error'; title: string; description: string };
  commitText: string;
  commitDisabled: boolean;
  confirm: string;
  onCommit: () => Promise<void>;
  onRestart: () => void;
  testId: string;
}) {
  const t = useT();
  const { modal, message } = App.useApp();
  const committing = useRef(false);
  const commit = () =>
    modal.confirm({
      title: t('import.confirmTitle'),
      content: confirm,
      okText: t('import.confirmOk'),
      onOk: async () => {
        if (committing.current) return;
        committing.current = true;
        try {
          await onCommit();
        } catch (e) {
          message.error(errorText(e));
        } finally {
          committing.current = false;
        }
      },
    });
  return (
    <Card
      title={
        <Flex gap={8} align="center">
          <CheckCircleOutlined style={{ color: '#52c41a' }} />
          {t('import.checkedTitle', { name: result.fileName })}
        </Flex>
      }
    >
      <Flex vertical gap={20}>
        {counts}
        {result.rows === 0 ? (
          <Alert type="warning" showIcon title={t('import.noRows')} />
        ) : result.failed > 0 ? (
          <Alert type={failed.type} showIcon title={failed.title} description={failed.description} />
        ) : (
          <Alert type="success" showIcon title={t('import.allGood')} />
        )}
        <Flex justify="flex-end" gap={8}>
          <Button icon={<ReloadOutlined />} onClick={onRestart}>
            {t('import.chooseAgain')}
          </Button>
          <Button type="primary" disabled={commitDisabled} onClick={commit} data-testid={testId}>
            {commitText}
          </Button>
        </Flex>
      </Flex>
    </Card>
  );
}

function CheckStep({
  jobId,
  onRestart,
  onCommitted,
}: {
  jobId: string;
  onRestart: () => void;
  onCommitted: (job: Job) => void;
}) {
  const t = useT();
  const { job, error } = useJob(jobId);

  if (error || job?.status === 'failed') return <JobFailed job={job} error={error} onRestart={onRestart} />;
  if (running(job)) return <JobProgress job={job} text={t('import.checking')} />;
  const result = job?.result as ImportResult | null | undefined;
  if (!result) return <PageSpin />;
  const changes = result.created + result.updated;
  return (
    <>
      <CheckedSheet
        result={result}
        counts={<ResultCounts result={result} dry />}
        failed={{
          type: 'warning',
          title: t('import.someFailed', { failed: result.failed }),
          description: t('import.someFailedSub'),
        }}
        commitText={t('import.commit', { count: changes })}
        commitDisabled={changes === 0}
        confirm={t('import.confirmContent', {
          created: result.created,
          updated: result.updated,
          failed: result.failed,
        })}
        onCommit={async () => onCommitted((await importApi.commit(jobId)).job)}
        onRestart={onRestart}
        testId="commit-import"
      />
      <ProblemTable result={result} errorsUrl={importApi.errorsUrl(jobId)} />
    </>
  );
}

function RunStep({
  jobId,
  onRestart,
  onFinished,
}: {
  jobId: string;
  onRestart: () => void;
  onFinished: (done: boolean) => void;
}) {
  const t = useT();
  const navigate = useNavigate();
  const { job, error } = useJob(jobId);
  const finished = !!job && !running(job);

  // Nothing left to resume once the import has run.
  useEffect(() => {
    if (finished) writeSaved(null);
    onFinished(finished && job?.status === 'succeeded');
  }, [finished, job?.status, onFinished]);

  if (error || job?.status === 'failed') return <JobFailed job={job} error={error} onRestart={onRestart} />;
  if (running(job)) return <JobProgress job={job} text={t('import.running')} />;
  const result = job?.result as ImportResult | null | undefined;
  if (!result) return <PageSpin />;
  return (
    <>
      <Card>
        <Result
          status={result.failed ? 'warning' : 'success'}
          title={t('import.doneTitle')}
          subTitle={t('import.doneSub', {
            created: result.created,
            updated: result.updated,
            failed: result.failed,
          })}
          extra={[
            <Button
              type="primary"
              key="list"
              onClick={() => {
                writeSaved(null);
                navigate('/customers?sort=updatedAt&order=desc');
              }}
            >
              {t('import.viewList')}
            </Button>,
            <Button key="again" onClick={onRestart}>
              {t('import.another')}
            </Button>,
          ]}
        >
          <ResultCounts result={result} dry={false} />
        </Result>
      </Card>
      <ProblemTable result={result} errorsUrl={importApi.errorsUrl(jobId)} />
    </>
  );
}
