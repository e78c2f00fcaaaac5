import { Button, Card, Col, Flex, Result, Row, Select, Statistic, Steps, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { REGISTER_LABELS, REGISTERS, type Register } from '../../../common/documents';
import type { DocumentCategory } from '../../../common/schemas/documents';
import type { ImportResult, Job } from '../../../common/schemas/jobs';
import { documentConfigApi, registerImportApi } from '../../api/documents';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { running, useJob } from '../../components/useJob';
import { useLabel, useLang, useT } from '../../i18n';
import { CheckedSheet, ChooseSheet, JobFailed, JobProgress, ProblemTable } from '../customers/ImportPage';

// 导入登记簿 /documents/registers/import: a 外来文件清单, 客户提供资料一览表 or 归档文件目录 kept in
// Excel, checked in a dry run — every row problem, an error sheet — then registered, all or
// nothing, existing 档号 kept. The place is kept in the address (?register=…&dry=<job>&run=<job>),
// so a reload loses nothing.

export default function RegisterImportPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const asked = params.get('register') ?? '';
  const register: Register = (REGISTERS as readonly string[]).includes(asked)
    ? (asked as Register)
    : 'external';
  const dryId = params.get('dry');
  const runId = params.get('run');
  const step = runId ? 2 : dryId ? 1 : 0;
  const restart = () => setParams({ register });
  return (
    <PageContainer title={t('documents.import.title')} subTitle={t('documents.import.subtitle')}>
      <Card>
        <Steps
          current={step}
          items={[
            { title: t('import.step.choose'), content: t('documents.import.step.chooseSub') },
            { title: t('import.step.check'), content: t('import.step.checkSub') },
            { title: t('import.step.run'), content: t('documents.import.step.runSub') },
          ]}
          style={{ maxWidth: 900, margin: '8px auto 0' }}
        />
      </Card>
      {step === 0 && (
        <ChooseStep
          register={register}
          onRegister={(r) => setParams({ register: r }, { replace: true })}
          onStarted={(job) => setParams({ register, dry: job.id })}
        />
      )}
      {step === 1 && dryId && (
        <CheckStep
          jobId={dryId}
          onRestart={restart}
          onCommitted={(job) => setParams({ register, dry: dryId, run: job.id })}
        />
      )}
      {step === 2 && runId && <RunStep jobId={runId} register={register} onRestart={restart} />}
    </PageContainer>
  );
}

function fits(register: Register, c: DocumentCategory): boolean {
  if (register === 'customer') return c.customerDocuments;
  if (register === 'external') return c.external && !c.customerDocuments;
  return true;
}

function ChooseStep({
  register,
  onRegister,
  onStarted,
}: {
  register: Register;
  onRegister: (r: Register) => void;
  onStarted: (job: Job) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { lang } = useLang();
  const { can } = useAuth();
  const [categories, setCategories] = useState<DocumentCategory[]>([]);
  const [category, setCategory] = useState<string | undefined>();
  useEffect(() => {
    documentConfigApi
      .categories()
      .then(setCategories)
      .catch(() => {});
  }, []);
  const choices = categories.filter((c) => c.active && fits(register, c));
  // One category fits (客户提供资料): it is the default without asking.
  const chosen = category && choices.some((c) => c.code === category) ? category : undefined;
  const registers = REGISTERS.filter((r) => r !== 'filed' || can('document.file'));
  return (
    <Flex vertical gap={16}>
      <Card>
        <Flex gap={24} wrap align="center">
          <Flex gap={8} align="center">
            <Typography.Text>{t('documents.import.register')}</Typography.Text>
            <Select<Register>
              value={register}
              style={{ width: 200 }}
              onChange={(r) => {
                setCategory(undefined);
                onRegister(r);
              }}
              options={registers.map((r) => ({ value: r, label: label(REGISTER_LABELS[r]) }))}
              data-testid="register-import-register"
            />
          </Flex>
          <Flex gap={8} align="center">
            <Typography.Text>{t('documents.import.category')}</Typography.Text>
            <Select<string>
              allowClear
              value={chosen}
              placeholder={t('documents.import.categoryPlaceholder')}
              style={{ width: 260 }}
              onChange={setCategory}
              options={choices.map((c) => ({
                value: c.code,
                label: lang === 'en' && c.nameEn ? c.nameEn : c.name,
              }))}
              data-testid="register-import-category"
            />
          </Flex>
        </Flex>
      </Card>
      <ChooseSheet
        intro={t(`documents.import.intro.${register}`)}
        rules={[
          t('documents.import.ruleHeader'),
          t('documents.import.ruleCategory'),
          ...(register === 'filed' ? [t('documents.import.ruleArchiveNo')] : []),
          ...(register === 'customer' ? [t('documents.import.ruleCustomer')] : []),
          t('documents.import.ruleAll'),
          t('import.ruleEncoding'),
        ]}
        upload={(file, onProgress) => registerImportApi.start(register, chosen, file, true, onProgress)}
        onStarted={onStarted}
        testId="start-register-dry-run"
      />
    </Flex>
  );
}

function Counts({ result, dry }: { result: ImportResult; dry: boolean }) {
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
      key: 'failed',
      title: t('import.count.failed'),
      value: result.failed,
      color: result.failed ? '#cf1322' : undefined,
    },
  ];
  return (
    <Row gutter={[16, 16]}>
      {items.map((i) => (
        <Col key={i.key} xs={12} md={8}>
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
          title: t('documents.import.someFailed', { failed: result.failed }),
          description: t('documents.import.someFailedSub'),
        }}
        commitText={t('import.commit', { count: result.created })}
        commitDisabled={result.failed > 0 || result.created === 0}
        confirm={t('documents.import.confirm', { count: result.created })}
        onCommit={async () => onCommitted((await registerImportApi.commit(jobId)).job)}
        onRestart={onRestart}
        testId="commit-register-import"
      />
      <ProblemTable result={result} errorsUrl={registerImportApi.errorsUrl(jobId)} />
    </>
  );
}

function RunStep({
  jobId,
  register,
  onRestart,
}: {
  jobId: string;
  register: Register;
  onRestart: () => void;
}) {
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
            written
              ? t('documents.import.doneTitle', { count: result.created })
              : t('documents.import.notWritten', { failed: result.failed })
          }
          extra={[
            <Button
              type="primary"
              key="list"
              onClick={() => navigate(`/documents/registers?register=${register}`)}
            >
              {t('documents.import.viewRegister')}
            </Button>,
            <Button key="again" onClick={onRestart}>
              {t('import.another')}
            </Button>,
          ]}
        >
          <Counts result={result} dry={false} />
        </Result>
      </Card>
      <ProblemTable result={result} errorsUrl={registerImportApi.errorsUrl(jobId)} />
    </>
  );
}
