import { Button, Card, Col, Flex, Radio, Result, Row, Statistic, Steps, Table } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { SALES_IMPORT_KIND_LABELS, SALES_IMPORT_KINDS, type SalesImportKind } from '../../../common/analysis';
import type { SalesImport } from '../../../common/schemas/analysis';
import type { ImportResult, Job } from '../../../common/schemas/jobs';
import { formatDateTime } from '../../../common/time';
import { salesImportApi } from '../../api/analysis';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { running, useJob } from '../../components/useJob';
import { useLabel, useT } from '../../i18n';
import { CheckedSheet, ChooseSheet, JobFailed, JobProgress, ProblemTable } from '../customers/ImportPage';
import { useResult } from './shared';

// 导入销售数据 /analysis/import: a sales ledger or month-end stock levels from the ERP, checked
// in a dry run (the months the file covers, the rows it would replace, every row problem), then
// imported — replacing those months — all or nothing. The step is in the address
// (?kind=…&dry=<job>&run=<job>), so a reload loses nothing.

const NONE = {};

export default function SalesImportPage() {
  const t = useT();
  const label = useLabel();
  const [params, setParams] = useSearchParams();
  const kind: SalesImportKind = params.get('kind') === 'stock' ? 'stock' : 'sales';
  const dryId = params.get('dry');
  const runId = params.get('run');
  const step = runId ? 2 : dryId ? 1 : 0;
  const restart = () => setParams({ kind });
  return (
    <PageContainer title={t('analysis.import.title')} subTitle={t('analysis.import.subtitle')}>
      <Card>
        <Flex vertical gap={16} align="center">
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            value={kind}
            disabled={step > 0}
            onChange={(e) => setParams({ kind: e.target.value })}
            options={SALES_IMPORT_KINDS.map((k) => ({ value: k, label: label(SALES_IMPORT_KIND_LABELS[k]) }))}
            data-testid="sales-import-kind"
          />
          <Steps
            current={step}
            items={[
              { title: t('import.step.choose'), content: t('import.step.chooseSub') },
              { title: t('import.step.check'), content: t('import.step.checkSub') },
              { title: t('import.step.run'), content: t('analysis.import.step.runSub') },
            ]}
            style={{ maxWidth: 900 }}
          />
        </Flex>
      </Card>
      {step === 0 && (
        <ChooseSheet
          key={kind}
          intro={t(kind === 'stock' ? 'analysis.import.stockIntro' : 'analysis.import.salesIntro')}
          templateUrl={salesImportApi.templateUrl(kind)}
          rules={[
            t('analysis.import.ruleCustomer'),
            t('analysis.import.ruleReplace'),
            t('analysis.import.ruleAll'),
            t('import.ruleEncoding'),
          ]}
          upload={(file, onProgress) => salesImportApi.start(kind, file, true, onProgress)}
          onStarted={(job) => setParams({ kind, dry: job.id })}
          testId="start-sales-dry-run"
        />
      )}
      {step === 1 && dryId && (
        <CheckStep
          jobId={dryId}
          onRestart={restart}
          onCommitted={(job) => setParams({ kind, dry: dryId, run: job.id })}
        />
      )}
      {step === 2 && runId && <RunStep jobId={runId} onRestart={restart} />}
      <History />
    </PageContainer>
  );
}

function Counts({ result, dry }: { result: ImportResult; dry: boolean }) {
  const t = useT();
  const items = [
    { key: 'rows', title: t('import.count.rows'), value: result.rows },
    {
      key: 'period',
      title: t('analysis.import.period'),
      value: result.period ? `${result.period.from} ～ ${result.period.to}` : '—',
    },
    {
      key: 'replaced',
      title: dry ? t('analysis.import.willReplace') : t('analysis.import.replaced'),
      value: result.replaced ?? 0,
    },
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
        <Col key={i.key} xs={12} md={6}>
          <Statistic title={i.title} value={i.value} styles={{ content: { color: i.color } }} />
        </Col>
      ))}
    </Row>
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
  return (
    <>
      <CheckedSheet
        result={result}
        counts={<Counts result={result} dry />}
        failed={{
          type: 'error',
          title: t('analysis.import.someFailed', { failed: result.failed }),
          description: t('analysis.import.someFailedSub'),
        }}
        commitText={t('analysis.import.commit', { rows: result.rows })}
        commitDisabled={result.failed > 0 || result.rows === 0}
        confirm={t('analysis.import.confirm', {
          rows: result.rows,
          from: result.period?.from ?? '',
          to: result.period?.to ?? '',
          replaced: result.replaced ?? 0,
        })}
        onCommit={async () => onCommitted((await salesImportApi.commit(jobId)).job)}
        onRestart={onRestart}
        testId="commit-sales-import"
      />
      <ProblemTable result={result} errorsUrl={salesImportApi.errorsUrl(jobId)} />
    </>
  );
}

function RunStep({ jobId, onRestart }: { jobId: string; onRestart: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const { job, error } = useJob(jobId);
  if (error || job?.status === 'failed') return <JobFailed job={job} error={error} onRestart={onRestart} />;
  if (running(job)) return <JobProgress job={job} text={t('import.running')} />;
  const result = job?.result as ImportResult | null | undefined;
  if (!result) return <PageSpin />;
  const written = result.failed === 0 && result.rows > 0;
  return (
    <>
      <Card>
        <Result
          status={written ? 'success' : 'error'}
          title={
            written
              ? t('analysis.import.doneTitle')
              : t('analysis.import.notWritten', { failed: result.failed })
          }
          subTitle={
            written
              ? t('analysis.import.doneSub', {
                  rows: result.rows,
                  from: result.period?.from ?? '',
                  to: result.period?.to ?? '',
                  replaced: result.replaced ?? 0,
                })
              : ''
          }
          extra={[
            <Button
              type="primary"
              key="abc"
              onClick={() =>
                navigate(
                  result.period
                    ? `/analysis?tab=abc&from=${result.period.from}&to=${result.period.to}`
                    : '/analysis',
                )
              }
              data-testid="sales-import-open-analysis"
            >
              {t('analysis.import.openAnalysis')}
            </Button>,
            <Button key="again" onClick={onRestart}>
              {t('import.another')}
            </Button>,
          ]}
        >
          <Counts result={result} dry={false} />
        </Result>
      </Card>
      <ProblemTable result={result} errorsUrl={salesImportApi.errorsUrl(jobId)} />
    </>
  );
}

/** The imports made so far. */
function History() {
  const t = useT();
  const label = useLabel();
  const { result } = useResult<{ items: SalesImport[] }>(() => salesImportApi.list(), NONE);
  return (
    <Card size="small" title={t('analysis.import.history')}>
      <Table<SalesImport>
        rowKey="id"
        size="small"
        dataSource={result?.items ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: t('analysis.import.noHistory') }}
        columns={[
          {
            title: t('analysis.abc.runAt'),
            dataIndex: 'createdAt',
            render: (v: string) => formatDateTime(v),
          },
          { title: t('analysis.abc.runBy'), dataIndex: 'createdByName' },
          {
            title: t('analysis.import.kind'),
            dataIndex: 'kind',
            render: (v: SalesImportKind) => label(SALES_IMPORT_KIND_LABELS[v]),
          },
          { title: t('analysis.import.file'), dataIndex: 'fileName' },
          {
            title: t('analysis.import.period'),
            key: 'p',
            render: (_: unknown, r: SalesImport) => `${r.from} ～ ${r.to}`,
          },
          { title: t('import.count.rows'), dataIndex: 'rows', align: 'right' },
          { title: t('analysis.import.replaced'), dataIndex: 'replaced', align: 'right' },
        ]}
      />
    </Card>
  );
}
