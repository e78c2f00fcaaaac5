import { Button, Card, Col, Result, Row, Statistic, Steps, Table, Tag } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { ORDER_CLASS_LABELS } from '../../../common/orders';
import type { ImportResult, Job } from '../../../common/schemas/jobs';
import { orderImportApi } from '../../api/orders';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { running, useJob } from '../../components/useJob';
import { useLabel, useT } from '../../i18n';
import { CheckedSheet, ChooseSheet, JobFailed, JobProgress, ProblemTable } from '../customers/ImportPage';

// 导入订单 /orders/import: an ERP export (one row per order line) checked in a dry run — what
// would be created, every row problem — then imported as draft orders, all or nothing. The
// place is kept in the address (?dry=<job>&run=<job>), so a reload loses nothing.

type OrderPreview = NonNullable<ImportResult['orders']>[number];

export default function OrderImportPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const dryId = params.get('dry');
  const runId = params.get('run');
  const step = runId ? 2 : dryId ? 1 : 0;
  const restart = () => setParams({});
  return (
    <PageContainer title={t('orders.import.title')} subTitle={t('orders.import.subtitle')}>
      <Card>
        <Steps
          current={step}
          items={[
            { title: t('import.step.choose'), content: t('import.step.chooseSub') },
            { title: t('import.step.check'), content: t('import.step.checkSub') },
            { title: t('import.step.run'), content: t('orders.import.step.runSub') },
          ]}
          style={{ maxWidth: 900, margin: '8px auto 0' }}
        />
      </Card>
      {step === 0 && <ChooseStep onStarted={(job) => setParams({ dry: job.id })} />}
      {step === 1 && dryId && (
        <CheckStep
          jobId={dryId}
          onRestart={restart}
          onCommitted={(job) => setParams({ dry: dryId, run: job.id })}
        />
      )}
      {step === 2 && runId && <RunStep jobId={runId} onRestart={restart} />}
    </PageContainer>
  );
}

function ChooseStep({ onStarted }: { onStarted: (job: Job) => void }) {
  const t = useT();
  return (
    <ChooseSheet
      intro={t('orders.import.templateIntro')}
      templateUrl={orderImportApi.templateUrl()}
      rules={[
        t('orders.import.ruleRequired'),
        t('orders.import.ruleGroup'),
        t('orders.import.ruleAll'),
        t('orders.import.ruleDraft'),
        t('import.ruleEncoding'),
      ]}
      upload={(file, onProgress) => orderImportApi.start(file, true, onProgress)}
      onStarted={onStarted}
      testId="start-order-dry-run"
    />
  );
}

function Counts({ result, dry }: { result: ImportResult; dry: boolean }) {
  const t = useT();
  const items = [
    { key: 'rows', title: t('import.count.rows'), value: result.rows },
    {
      key: 'orders',
      title: dry ? t('orders.import.willCreate') : t('orders.import.created'),
      value: result.created,
      color: '#389e0d',
    },
    { key: 'lines', title: t('orders.import.lines'), value: result.lines ?? 0 },
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

/** The first orders the import creates (or would create) with the class the system proposes. */
function OrderPreviewTable({ result }: { result: ImportResult }) {
  const t = useT();
  const label = useLabel();
  const orders = result.orders ?? [];
  if (orders.length === 0) return null;
  return (
    <Card
      title={
        result.dryRun
          ? t('orders.import.previewTitle', { shown: orders.length, count: result.created })
          : t('orders.import.createdTitle', { shown: orders.length, count: result.created })
      }
    >
      <Table<OrderPreview>
        rowKey={(o) => `${o.row}`}
        size="small"
        dataSource={orders}
        pagination={orders.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        columns={[
          { title: t('import.problem.row'), dataIndex: 'row', width: 80 },
          ...(result.dryRun
            ? []
            : [
                {
                  title: t('orders.field.number'),
                  dataIndex: 'number',
                  width: 150,
                  render: (v: string | null) => v,
                },
              ]),
          { title: t('orders.field.customer'), dataIndex: 'customer' },
          { title: t('orders.field.customerPo'), dataIndex: 'customerPo', width: 160 },
          { title: t('orders.import.lines'), dataIndex: 'lines', width: 90 },
          {
            title: t('orders.import.proposedClass'),
            dataIndex: 'proposedClass',
            width: 120,
            render: (v: OrderPreview['proposedClass']) => (
              <Tag color={v === 'non_regular' ? 'orange' : 'green'}>{label(ORDER_CLASS_LABELS[v])}</Tag>
            ),
          },
        ]}
      />
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
  return (
    <>
      <CheckedSheet
        result={result}
        counts={<Counts result={result} dry />}
        failed={{
          type: 'error',
          title: t('orders.import.someFailed', { failed: result.failed }),
          description: t('orders.import.someFailedSub'),
        }}
        commitText={t('orders.import.commit', { count: result.created })}
        commitDisabled={result.failed > 0 || result.created === 0}
        confirm={t('orders.import.confirm', { orders: result.created, lines: result.lines ?? 0 })}
        onCommit={async () => onCommitted((await orderImportApi.commit(jobId)).job)}
        onRestart={onRestart}
        testId="commit-order-import"
      />
      <ProblemTable result={result} errorsUrl={orderImportApi.errorsUrl(jobId)} />
      <OrderPreviewTable result={result} />
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
  const written = result.failed === 0;
  return (
    <>
      <Card>
        <Result
          status={written ? 'success' : 'error'}
          title={
            written ? t('orders.import.doneTitle') : t('orders.import.notWritten', { failed: result.failed })
          }
          subTitle={
            written ? t('orders.import.doneSub', { orders: result.created, lines: result.lines ?? 0 }) : ''
          }
          extra={[
            <Button type="primary" key="list" onClick={() => navigate('/orders?status=draft')}>
              {t('orders.import.viewDrafts')}
            </Button>,
            <Button key="again" onClick={onRestart}>
              {t('import.another')}
            </Button>,
          ]}
        >
          <Counts result={result} dry={false} />
        </Result>
      </Card>
      <ProblemTable result={result} errorsUrl={orderImportApi.errorsUrl(jobId)} />
      <OrderPreviewTable result={result} />
    </>
  );
}
