import {
  AuditOutlined,
  CheckCircleOutlined,
  CommentOutlined,
  EditOutlined,
  ExperimentOutlined,
  FilePdfOutlined,
  FileTextOutlined,
  PaperClipOutlined,
  PlayCircleOutlined,
  PrinterOutlined,
  ReloadOutlined,
  SendOutlined,
  SmileOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Result,
  Row,
  Space,
  Steps,
  Table,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  CAUSE_LABELS,
  type CaseEventKind,
  CHANNEL_LABELS,
  CLOCK_LABELS,
  DISPOSITION_LABELS,
  OPINION_LABELS,
  OUTCOME_LABELS,
  REPLY_WAY_LABELS,
} from '../../../common/cases';
import { ROLE_LABELS, type Role } from '../../../common/enums';
import type { FieldError } from '../../../common/errors';
import type { Case, CaseClock } from '../../../common/schemas/cases';
import { formatDateTime } from '../../../common/time';
import { casesApi } from '../../api/cases';
import { errorText, isApiError } from '../../api/client';
import { ClockTag } from '../../components/ClockTag';
import { FileLink } from '../../components/FileLink';
import { SecrecyTag } from '../../components/labels';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { useLabel, useT } from '../../i18n';
import { CaseActionsCard } from './CaseActions';
import { EditCaseDrawer } from './EditCaseDrawer';
import {
  AssignDrawer,
  FileDrawer,
  InvestigationDrawer,
  ReplyDrawer,
  RevisitDrawer,
  type Step,
} from './StepDrawers';
import { CaseStatusTag, KindTag, orDash, SeverityTag } from './shared';

/** 案件详情 /cases/:id: header and buttons, the steps and clocks, each section, the history. */
export default function CaseDetailPage() {
  const { id = '' } = useParams();
  const t = useT();
  const label = useLabel();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const [c, setCase] = useState<Case | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [drawer, setDrawer] = useState<Step | 'edit' | 'reassign' | null>(null);
  const [investigationErrors, setInvestigationErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setCase(await casesApi.get(id));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => {
    setCase(null);
    load();
  }, [load]);

  if (isApiError(error) && error.status === 404) {
    return (
      <Result
        status="404"
        title={t('cases.notFound')}
        extra={
          <Button type="primary" onClick={() => navigate('/cases')}>
            {t('cases.backToList')}
          </Button>
        }
      />
    );
  }
  if (error && !c) {
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
  if (!c) {
    return (
      <PageContainer title={t('cases.detail')}>
        <PageSpin />
      </PageContainer>
    );
  }

  const done = (next: Case) => {
    setDrawer(null);
    setCase(next);
  };
  const quick = (title: string, content: string, call: () => Promise<Case>, ok: string) =>
    modal.confirm({
      title,
      content,
      onOk: async () => {
        setBusy(true);
        try {
          setCase(await call());
          message.success(ok);
        } catch (e) {
          // 处理完成 without the findings: open the form with the missing fields marked.
          if (isApiError(e) && e.errors.length > 0) {
            setInvestigationErrors(e.errors);
            setDrawer('investigation');
            message.warning(t('cases.resolve.missing'));
          } else message.error(errorText(e));
        } finally {
          setBusy(false);
        }
      },
    });

  const started = c.clocks.find((k) => k.clock === 'investigate')?.metAt;
  const canFile = c.status !== 'closed' && (c.can.update || c.can.handle || c.can.reply);
  const actions: ReactNode[] = [];
  if (c.can.triage)
    actions.push(
      <Button key="triage" type="primary" icon={<AuditOutlined />} onClick={() => setDrawer('triage')}>
        {t('cases.action.triage')}
      </Button>,
    );
  if (c.can.dispatch)
    actions.push(
      <Button
        key="dispatch"
        type="primary"
        icon={<UserSwitchOutlined />}
        onClick={() => setDrawer('dispatch')}
      >
        {t('cases.action.dispatch')}
      </Button>,
    );
  if (c.can.handle && !started)
    actions.push(
      <Button
        key="start"
        type="primary"
        icon={<PlayCircleOutlined />}
        loading={busy}
        onClick={() =>
          quick(
            t('cases.start.confirmTitle'),
            t('cases.start.confirmContent'),
            () => casesApi.start(c.id),
            t('cases.done.started'),
          )
        }
      >
        {t('cases.action.start')}
      </Button>,
    );
  if (c.can.handle || (c.can.reply && c.status === 'to_reply'))
    actions.push(
      <Button
        key="investigation"
        type={c.can.handle && started ? 'primary' : 'default'}
        icon={<ExperimentOutlined />}
        onClick={() => {
          setInvestigationErrors([]);
          setDrawer('investigation');
        }}
      >
        {t('cases.action.investigation')}
      </Button>,
    );
  if (c.can.resolve)
    actions.push(
      <Button
        key="resolve"
        icon={<CheckCircleOutlined />}
        loading={busy}
        onClick={() =>
          quick(
            t('cases.resolve.confirmTitle'),
            t('cases.resolve.confirmContent'),
            () => casesApi.resolve(c.id),
            t('cases.done.resolved'),
          )
        }
      >
        {t('cases.action.resolve')}
      </Button>,
    );
  if (c.can.reply)
    actions.push(
      <Button
        key="reply"
        type={c.status === 'to_reply' ? 'primary' : 'default'}
        icon={<SendOutlined />}
        onClick={() => setDrawer('reply')}
      >
        {c.status === 'to_reply' ? t('cases.action.replyFinal') : t('cases.action.replyInterim')}
      </Button>,
    );
  if (c.can.revisit)
    actions.push(
      <Button key="revisit" type="primary" icon={<SmileOutlined />} onClick={() => setDrawer('revisit')}>
        {t('cases.action.revisit')}
      </Button>,
    );

  const when = (who: { name: string } | null, at: string | null) =>
    at ? `${who?.name ?? ''} ${formatDateTime(at)}`.trim() : null;

  return (
    <PageContainer
      title={`${c.number} ${c.customer.name}`}
      subTitle={
        <Space size={4} wrap>
          <KindTag kind={c.kind} />
          <CaseStatusTag status={c.status} outcome={c.outcome} />
          <SeverityTag severity={c.severity} />
          {c.secrecy !== 'normal' && <SecrecyTag level={c.secrecy} />}
          <span>
            {t('cases.field.customer')}
            {t('common.colon')}
            <Link to={`/customers/${c.customer.id}?tab=complaints`}>
              {c.customer.code} {c.customer.name}
            </Link>
          </span>
        </Space>
      }
      extra={
        <>
          <Tooltip title={t('common.refresh')}>
            <Button icon={<ReloadOutlined />} onClick={load} aria-label={t('common.refresh')} />
          </Tooltip>
          <FileLink icon={<PrinterOutlined />} href={casesApi.pdfUrl(c.id, 'record')} inline>
            {t('cases.print.record')}
          </FileLink>
          {c.kind === 'complaint' && (
            <FileLink icon={<FilePdfOutlined />} href={casesApi.pdfUrl(c.id, '8d')} inline>
              {t('cases.print.8d')}
            </FileLink>
          )}
          {canFile && (
            <Button icon={<PaperClipOutlined />} onClick={() => setDrawer('file')}>
              {t('cases.files.add')}
            </Button>
          )}
          {actions}
        </>
      }
    >
      <NextStepAlert c={c} />
      {c.document && (
        <Alert
          type="success"
          showIcon
          icon={<FileTextOutlined />}
          title={
            <span>
              {t('cases.archived')}
              <Link to={`/documents/${c.document.id}`}>
                {c.document.archiveNo ?? t('cases.archivedNoNumber')}
              </Link>
            </span>
          }
        />
      )}
      <Card>
        <CaseSteps c={c} />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Flex vertical gap={16}>
            <Card
              title={t('cases.section.intake')}
              size="small"
              extra={
                c.can.update && (
                  <Button size="small" icon={<EditOutlined />} onClick={() => setDrawer('edit')}>
                    {t('cases.action.edit')}
                  </Button>
                )
              }
            >
              <Descriptions
                size="small"
                column={2}
                items={[
                  {
                    key: 'content',
                    label: t('cases.field.content'),
                    span: 2,
                    children: <Multiline text={c.content} />,
                  },
                  {
                    key: 'demand',
                    label: t('cases.field.demand'),
                    span: 2,
                    children: <Multiline text={c.demand} />,
                  },

                  {
                    key: 'type',
                    label: t('cases.field.type'),
                    children: `${c.typeLabel}${c.subtype ? ` / ${c.subtype}` : ''}`,
                  },
                  {
                    key: 'channel',
                    label: t('cases.field.channel'),
                    children: label(CHANNEL_LABELS[c.channel]),
                  },
                  {
                    key: 'contact',
                    label: t('cases.field.contact'),
                    children: orDash([c.contact.name, c.contact.phone].filter(Boolean).join(' · ')),
                  },
                  {
                    key: 'received',
                    label: t('cases.field.receivedAt'),
                    children: formatDateTime(c.receivedAt),
                  },
                  {
                    key: 'receiver',
                    label: t('cases.field.receiver'),
                    children: `${orDash(c.receiver?.name)}${c.department ? ` · ${c.department.name}` : ''}`,
                  },
                  { key: 'product', label: t('cases.field.product'), children: orDash(c.product) },
                  { key: 'part', label: t('cases.field.partNumber'), children: orDash(c.partNumber) },
                  { key: 'order', label: t('cases.field.orderRef'), children: orDash(c.orderRef) },
                  { key: 'qty', label: t('cases.field.quantity'), children: orDash(c.quantity) },
                  ...(c.responsible && c.kind === 'complaint'
                    ? [{ key: 'resp', label: t('cases.field.responsible'), children: c.responsible.name }]
                    : []),
                ]}
              />
            </Card>
            <Card
              title={c.kind === 'complaint' ? t('cases.section.triage') : t('cases.section.dispatch')}
              size="small"
              extra={
                c.can.reassign && (
                  <Button size="small" icon={<UserSwitchOutlined />} onClick={() => setDrawer('reassign')}>
                    {t('cases.action.reassign')}
                  </Button>
                )
              }
            >
              {c.triage.at ? (
                <Descriptions
                  size="small"
                  column={2}
                  items={[
                    ...(c.kind === 'complaint'
                      ? [
                          {
                            key: 'outcome',
                            label: t('cases.field.outcome'),
                            children: c.outcome ? label(OUTCOME_LABELS[c.outcome]) : '—',
                          },
                        ]
                      : []),
                    {
                      key: 'by',
                      label: t('cases.field.triagedBy'),
                      children: orDash(when(c.triage.by, c.triage.at)),
                    },
                    {
                      key: 'dept',
                      label: t('cases.field.handlingDepartment'),
                      children: orDash(c.handlingDepartment?.name),
                    },
                    { key: 'handler', label: t('cases.field.handler'), children: orDash(c.handler?.name) },
                    {
                      key: 'note',
                      label: t('cases.field.triageNote'),
                      span: 2,
                      children: <Multiline text={c.triage.note} />,
                    },
                  ]}
                />
              ) : (
                <Pending
                  text={c.kind === 'complaint' ? t('cases.pending.triage') : t('cases.pending.dispatch')}
                />
              )}
            </Card>
            {c.outcome !== 'unjustified' && (
              <Card title={t('cases.section.investigation')} size="small">
                {c.investigation.analysis || c.investigation.solution || c.investigation.causeCategory ? (
                  <Descriptions
                    size="small"
                    column={2}
                    items={[
                      {
                        key: 'cause',
                        label: t('cases.field.cause'),
                        children: c.investigation.causeCategory
                          ? label(CAUSE_LABELS[c.investigation.causeCategory])
                          : '—',
                      },
                      {
                        key: 'resp',
                        label: t('cases.field.responsibility'),
                        children: orDash(
                          [c.responsibleDepartment?.name, c.responsible?.name].filter(Boolean).join(' · '),
                        ),
                      },
                      {
                        key: 'analysis',
                        label: t('cases.field.analysis'),
                        span: 2,
                        children: <Multiline text={c.investigation.analysis} />,
                      },
                      {
                        key: 'containment',
                        label: t('cases.field.containment'),
                        span: 2,
                        children: <Multiline text={c.investigation.containment} />,
                      },
                      {
                        key: 'solution',
                        label: t('cases.field.solution'),
                        span: 2,
                        children: <Multiline text={c.investigation.solution} />,
                      },
                      {
                        key: 'verification',
                        label: t('cases.field.verification'),
                        span: 2,
                        children: c.investigation.verification ? (
                          <span>
                            <Multiline text={c.investigation.verification} />
                            <Typography.Text type="secondary">
                              {' '}
                              ({when(c.investigation.verifiedBy, c.investigation.verifiedAt)})
                            </Typography.Text>
                          </span>
                        ) : (
                          '—'
                        ),
                      },
                      ...(c.return.quantity !== null || c.return.disposition
                        ? [
                            {
                              key: 'return',
                              label: t('cases.section.return'),
                              span: 2,
                              children: [
                                c.return.quantity !== null
                                  ? t('cases.return.quantity', { n: c.return.quantity })
                                  : null,
                                c.return.disposition ? label(DISPOSITION_LABELS[c.return.disposition]) : null,
                                c.return.receivedOn
                                  ? t('cases.return.receivedOn', { date: c.return.receivedOn })
                                  : null,
                                c.return.note,
                              ]
                                .filter(Boolean)
                                .join('；'),
                            },
                          ]
                        : []),
                      ...(c.resolvedAt
                        ? [
                            {
                              key: 'resolved',
                              label: t('cases.field.resolvedAt'),
                              children: formatDateTime(c.resolvedAt),
                            },
                          ]
                        : []),
                    ]}
                  />
                ) : (
                  <Pending text={started ? t('cases.pending.findings') : t('cases.pending.investigation')} />
                )}
              </Card>
            )}
            <CaseActionsCard c={c} onChanged={load} />
            <Card title={t('cases.section.reply')} size="small">
              {c.reply.at ? (
                <Descriptions
                  size="small"
                  column={2}
                  items={[
                    {
                      key: 'by',
                      label: t('cases.field.repliedBy'),
                      children: orDash(when(c.reply.by, c.reply.at)),
                    },
                    {
                      key: 'way',
                      label: t('cases.field.replyWay'),
                      children: c.reply.way ? label(REPLY_WAY_LABELS[c.reply.way]) : '—',
                    },
                    {
                      key: 'text',
                      label: t('cases.field.replyText'),
                      span: 2,
                      children: <Multiline text={c.reply.text} />,
                    },
                  ]}
                />
              ) : (
                <Pending text={t('cases.pending.reply')} />
              )}
            </Card>
            {c.outcome !== 'unjustified' && (
              <Card title={t('cases.section.revisit')} size="small">
                {c.revisit.at ? (
                  <Descriptions
                    size="small"
                    column={2}
                    items={[
                      {
                        key: 'opinion',
                        label: t('cases.field.opinion'),
                        children: c.revisit.opinion ? (
                          <Typography.Text strong>{label(OPINION_LABELS[c.revisit.opinion])}</Typography.Text>
                        ) : (
                          '—'
                        ),
                      },
                      {
                        key: 'by',
                        label: t('cases.field.revisitedBy'),
                        children: orDash(when(c.revisit.by, c.revisit.at)),
                      },
                      {
                        key: 'way',
                        label: t('cases.field.replyWay'),
                        children: c.revisit.way ? label(REPLY_WAY_LABELS[c.revisit.way]) : '—',
                      },
                      {
                        key: 'comment',
                        label: t('cases.field.opinionComment'),
                        span: 2,
                        children: <Multiline text={c.revisit.comment} />,
                      },
                    ]}
                  />
                ) : (
                  <Pending
                    text={
                      c.revisit.due
                        ? t('cases.pending.revisitDue', {
                            date: c.revisit.due,
                            role: c.revisit.role
                              ? label(ROLE_LABELS[c.revisit.role as Role], c.revisit.role)
                              : '',
                          })
                        : t('cases.pending.revisit')
                    }
                  />
                )}
              </Card>
            )}
            <Card title={t('cases.section.files')} size="small">
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={c.files}
                locale={{ emptyText: t('cases.files.none') }}
                columns={[
                  {
                    title: t('cases.files.name'),
                    dataIndex: 'name',
                    render: (v: string, f) => (
                      <FileLink
                        type="link"
                        size="small"
                        href={casesApi.fileUrl(c.id, f.id)}
                        style={{ padding: 0 }}
                      >
                        {v}
                      </FileLink>
                    ),
                  },
                  {
                    title: t('cases.files.size'),
                    dataIndex: 'size',
                    width: 100,
                    render: (v: number) => formatSize(v),
                  },
                  {
                    title: t('cases.files.by'),
                    key: 'by',
                    width: 120,
                    render: (_, f) => orDash(f.createdBy?.name),
                  },
                  {
                    title: t('cases.files.at'),
                    dataIndex: 'createdAt',
                    width: 170,
                    render: (v: string) => formatDateTime(v),
                  },
                ]}
              />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} xl={8}>
          <Flex vertical gap={16}>
            <Card title={t('cases.section.clocks')} size="small">
              <ClockList clocks={c.clocks} />
            </Card>
            <Card title={t('cases.section.events')} size="small">
              <Timeline
                items={c.events.map((e, i) => ({
                  key: `${e.at}-${i}`,
                  color: eventColor(e.kind),
                  content: (
                    <div>
                      <Typography.Text strong>{e.label}</Typography.Text>
                      <div>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {formatDateTime(e.at)} {e.actor?.name ?? t('cases.events.system')}
                        </Typography.Text>
                      </div>
                      {e.note && <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div>}
                    </div>
                  ),
                }))}
              />
            </Card>
          </Flex>
        </Col>
      </Row>
      <AssignDrawer
        open={drawer === 'triage' || drawer === 'dispatch' || drawer === 'reassign'}
        mode={drawer === 'dispatch' || drawer === 'reassign' ? drawer : 'triage'}
        c={c}
        onClose={() => setDrawer(null)}
        onDone={done}
      />
      <InvestigationDrawer
        open={drawer === 'investigation'}
        c={c}
        errors={investigationErrors}
        onClose={() => setDrawer(null)}
        onDone={done}
      />
      <EditCaseDrawer open={drawer === 'edit'} c={c} onClose={() => setDrawer(null)} onDone={done} />
      <ReplyDrawer open={drawer === 'reply'} c={c} onClose={() => setDrawer(null)} onDone={done} />
      <RevisitDrawer open={drawer === 'revisit'} c={c} onClose={() => setDrawer(null)} onDone={done} />
      <FileDrawer
        open={drawer === 'file'}
        c={c}
        onClose={() => setDrawer(null)}
        onDone={() => {
          setDrawer(null);
          load();
        }}
      />
    </PageContainer>
  );
}

function Multiline({ text }: { text: string | null | undefined }) {
  return text ? <span style={{ whiteSpace: 'pre-wrap' }}>{text}</span> : <span>—</span>;
}

function Pending({ text }: { text: string }) {
  return <Typography.Text type="secondary">{text}</Typography.Text>;
}

function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function eventColor(kind: CaseEventKind): string {
  if (kind === 'escalated') return 'red';
  if (kind === 'archived' || kind === 'revisited') return 'green';
  if (kind === 'triaged_unjustified') return 'gray';
  return 'blue';
}

/** Each clock: what it measures, when it is due, and its state as a tag. */
function ClockList({ clocks }: { clocks: CaseClock[] }) {
  const t = useT();
  const label = useLabel();
  if (clocks.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Flex vertical gap={10}>
      {clocks.map((k) => (
        <Flex key={k.clock} justify="space-between" align="center" gap={8} wrap>
          <div>
            <div>{label(CLOCK_LABELS[k.clock])}</div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {k.metAt
                ? t('cases.clockTag.metAt', { at: formatDateTime(k.metAt) })
                : t('cases.clockTag.due', { at: formatDateTime(k.dueAt) })}
            </Typography.Text>
          </div>
          <ClockTag clock={k} withName={false} />
        </Flex>
      ))}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('cases.clocks.help')}
      </Typography.Text>
    </Flex>
  );
}

/** 受理 → 判定/派工 → 调查 → 处理完成 → 答复 → 回访 → 归档, each with who and when. */
function CaseSteps({ c }: { c: Case }) {
  const t = useT();
  const at = (v: string | null | undefined) => (v ? formatDateTime(v) : undefined);
  const started = c.clocks.find((k) => k.clock === 'investigate')?.metAt ?? null;
  const finalReply = c.status === 'to_revisit' || c.status === 'closed' ? c.reply.at : null;
  const steps: { title: string; done: boolean; description?: ReactNode }[] =
    c.outcome === 'unjustified'
      ? [
          { title: t('cases.step.received'), done: true, description: at(c.receivedAt) },
          { title: t('cases.step.unjustified'), done: true, description: at(c.triage.at) },
          { title: t('cases.step.reply'), done: !!c.reply.at, description: at(c.reply.at) },
          {
            title: t('cases.step.archive'),
            done: !!c.document,
            description: c.document?.archiveNo ?? undefined,
          },
        ]
      : [
          { title: t('cases.step.received'), done: true, description: at(c.receivedAt) },
          {
            title: c.kind === 'complaint' ? t('cases.step.triage') : t('cases.step.dispatch'),
            done: !!c.triage.at,
            description: c.triage.at ? `${c.handler?.name ?? ''} ${at(c.triage.at)}` : undefined,
          },
          { title: t('cases.step.investigate'), done: !!started, description: at(started) },
          { title: t('cases.step.resolve'), done: !!c.resolvedAt, description: at(c.resolvedAt) },
          { title: t('cases.step.reply'), done: !!finalReply, description: at(finalReply) },
          { title: t('cases.step.revisit'), done: !!c.revisit.at, description: at(c.revisit.at) },
          {
            title: t('cases.step.archive'),
            done: !!c.document,
            description: c.document?.archiveNo ?? undefined,
          },
        ];
  const current = steps.findIndex((s) => !s.done);
  return (
    <Steps
      size="small"
      current={current === -1 ? steps.length : current}
      status={current === -1 ? 'finish' : 'process'}
      items={steps.map((s) => ({ title: s.title, content: s.description }))}
      responsive
    />
  );
}

/** What the case waits for now, and who is to do it, in one sentence. */
function NextStepAlert({ c }: { c: Case }) {
  const t = useT();
  if (c.status === 'closed') return null;
  const text =
    c.status === 'new'
      ? c.kind === 'complaint'
        ? t('cases.next.triage')
        : t('cases.next.dispatch')
      : c.status === 'in_progress'
        ? t('cases.next.handle', { name: c.handler?.name ?? '' })
        : c.status === 'to_reply'
          ? t('cases.next.reply', { name: c.handler?.name ?? '' })
          : t('cases.next.revisit');
  const yours = c.can.triage || c.can.dispatch || c.can.handle || c.can.reply || c.can.revisit;
  return (
    <Alert
      type="info"
      showIcon
      icon={<CommentOutlined />}
      title={text}
      description={yours ? t('cases.next.yours') : t('cases.next.notYours')}
    />
  );
}
