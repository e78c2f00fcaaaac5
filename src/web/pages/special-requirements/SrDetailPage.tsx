import {
  AuditOutlined,
  CheckCircleOutlined,
  CheckOutlined,
  DeleteOutlined,
  EditOutlined,
  LinkOutlined,
  ReloadOutlined,
  SendOutlined,
  StopOutlined,
  SyncOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Popconfirm,
  Result,
  Row,
  Space,
  Steps,
  Table,
  Tag,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { Requirement } from '../../../common/schemas/special-requirements';
import {
  SR_DOCUMENT_ROLE_LABELS,
  SR_REVIEW_DECISION_LABELS,
  SR_STATUS_LABELS,
  type SrStatus,
} from '../../../common/special-requirements';
import { formatDateTime } from '../../../common/time';
import { errorText, isApiError } from '../../api/client';
import { srApi } from '../../api/special-requirements';
import { SecrecyTag } from '../../components/labels';
import { PageContainer, PageSpin } from '../../components/PageContainer';
import { useLabel, useT } from '../../i18n';
import { SourceActionsCard } from '../actions/SourceActionsCard';
import {
  EditRequirementDrawer,
  LinkDocumentDrawer,
  OneFieldDrawer,
  type OneFieldKind,
  RaiseSrActionDrawer,
  RequestReviewsDrawer,
  ReviewDrawer,
} from './SrDrawers';
import {
  AppliesTo,
  DistributeDrawer,
  orDash,
  ProjectClockTag,
  RecheckTag,
  SourceText,
  SrStatusTag,
  useSrCategories,
} from './shared';

type DrawerKind = 'request' | 'link' | 'edit' | 'distribute' | OneFieldKind;

/** 特殊要求详情 /special-requirements/:id: the requirement, its reviews, actions, linked
 * documents and history, with the buttons the reader may use. */
export default function SrDetailPage() {
  const { id = '' } = useParams();
  const t = useT();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const [r, setR] = useState<Requirement | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [drawer, setDrawer] = useState<DrawerKind | null>(null);
  const [reviewing, setReviewing] = useState<Requirement['reviews'][number] | null>(null);
  const [actionsVersion, setActionsVersion] = useState(0);
  const [busy, setBusy] = useState(false);
  const categories = useSrCategories();

  const load = useCallback(async () => {
    try {
      setR(await srApi.get(id));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => {
    setR(null);
    load();
  }, [load]);

  if (isApiError(error) && error.status === 404) {
    return (
      <Result
        status="404"
        title={t('sr.notFound')}
        extra={
          <Button type="primary" onClick={() => navigate('/special-requirements')}>
            {t('sr.backToList')}
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
      <PageContainer title={t('sr.detail')}>
        <PageSpin />
      </PageContainer>
    );
  }

  const done = (next: Requirement) => {
    setDrawer(null);
    setReviewing(null);
    setR(next);
  };
  const open = r.status === 'pending_review' || r.status === 'in_review';

  /** 确认已落实: the server refuses (409) while actions are open or a linked version is not current,
   * and says what is open; that message is shown as it is. */
  const confirmImplemented = () =>
    modal.confirm({
      title: t('sr.implemented.confirmTitle'),
      content: t('sr.implemented.confirmContent'),
      okText: t('sr.implemented.button'),
      onOk: async () => {
        setBusy(true);
        try {
          setR(await srApi.implemented(r.id, {}));
          message.success(t('sr.implemented.done'));
        } catch (e) {
          if (isApiError(e) && (e.status === 409 || e.status === 400)) {
            modal.error({
              title: t('sr.implemented.refused'),
              width: 520,
              content: (
                <div data-testid="sr-implemented-refused">
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{e.title}</Typography.Paragraph>
                  {e.errors.length > 0 && (
                    <ul style={{ paddingInlineStart: 20 }}>
                      {e.errors.map((x, i) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: the server's list, in its order
                        <li key={i}>{x.message}</li>
                      ))}
                    </ul>
                  )}
                </div>
              ),
            });
          } else message.error(errorText(e));
          load();
        } finally {
          setBusy(false);
        }
      },
    });

  const buttons: ReactNode[] = [];
  if (r.can.requestReviews)
    buttons.push(
      <Button
        key="request"
        type={r.status === 'pending_review' ? 'primary' : 'default'}
        icon={<AuditOutlined />}
        onClick={() => setDrawer('request')}
      >
        {r.status === 'pending_review' ? t('sr.reviews.requestButton') : t('sr.reviews.requestMore')}
      </Button>,
    );
  if (r.can.link && open)
    buttons.push(
      <Button key="link" icon={<LinkOutlined />} onClick={() => setDrawer('link')}>
        {t('sr.links.button')}
      </Button>,
    );
  if (r.afterMassProduction && !r.projectInformedAt && r.can.update && r.status !== 'obsolete')
    buttons.push(
      <Button
        key="informed"
        type={r.projectOverdue ? 'primary' : 'default'}
        danger={r.projectOverdue}
        icon={<TeamOutlined />}
        onClick={() => setDrawer('informed')}
      >
        {t('sr.project.button')}
      </Button>,
    );
  if (r.needsRecheck && r.can.update)
    buttons.push(
      <Button key="recheck" icon={<SyncOutlined />} onClick={() => setDrawer('rechecked')}>
        {t('sr.recheck.button')}
      </Button>,
    );
  if (r.can.distribute)
    buttons.push(
      <Button key="distribute" icon={<SendOutlined />} onClick={() => setDrawer('distribute')}>
        {t('sr.distribute.button')}
      </Button>,
    );
  if (r.can.confirm && open)
    buttons.push(
      <Button key="na" icon={<StopOutlined />} onClick={() => setDrawer('notApplicable')}>
        {t('sr.one.notApplicable.button')}
      </Button>,
    );
  if (r.can.confirm && r.status === 'in_review')
    buttons.push(
      <Button
        key="implemented"
        type={r.status === 'in_review' ? 'primary' : 'default'}
        icon={<CheckCircleOutlined />}
        loading={busy}
        onClick={confirmImplemented}
        data-testid="sr-implemented"
      >
        {t('sr.implemented.button')}
      </Button>,
    );
  if (r.can.obsolete && r.status !== 'obsolete')
    buttons.push(
      <Button key="obsolete" danger icon={<DeleteOutlined />} onClick={() => setDrawer('obsolete')}>
        {t('sr.one.obsolete.button')}
      </Button>,
    );

  const when = (who: { name: string } | null, at: string | null) =>
    at ? `${who?.name ?? ''} ${formatDateTime(at)}`.trim() : null;

  return (
    <PageContainer
      title={`${r.number} ${r.title}`}
      subTitle={
        <Space size={4} wrap>
          <SrStatusTag status={r.status} />
          <RecheckTag r={r} />
          <ProjectClockTag r={r} />
          {r.secrecy !== 'normal' && <SecrecyTag level={r.secrecy} />}
          <span>
            {t('sr.field.customer')}
            {t('common.colon')}
            {/* The customer's requirements for whoever sees this one; the archive itself (its
                特殊要求 tab) for those who may open it. */}
            <Link to={`/special-requirements/customers/${r.customer.id}`}>
              {r.customer.code} {r.customer.name}
            </Link>
            <Link to={`/customers/${r.customer.id}?tab=special`} style={{ marginLeft: 8 }}>
              {t('sr.openArchive')}
            </Link>
          </span>
        </Space>
      }
      extra={
        <>
          <Tooltip title={t('common.refresh')}>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                load();
                setActionsVersion((v) => v + 1);
              }}
              aria-label={t('common.refresh')}
            />
          </Tooltip>
          {buttons}
        </>
      }
    >
      <NextStepAlert r={r} />
      <Card>
        <SrSteps r={r} />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Flex vertical gap={16}>
            <Card
              title={t('sr.section.requirement')}
              size="small"
              extra={
                r.can.update && (
                  <Button size="small" icon={<EditOutlined />} onClick={() => setDrawer('edit')}>
                    {t('common.edit')}
                  </Button>
                )
              }
            >
              <Descriptions
                size="small"
                column={2}
                items={[
                  {
                    key: 'text',
                    label: t('sr.field.text'),
                    span: 2,
                    children: <span style={{ whiteSpace: 'pre-wrap' }}>{r.text}</span>,
                  },
                  {
                    key: 'source',
                    label: t('sr.field.sourceDocument'),
                    span: 2,
                    children: <SourceText source={r.source} />,
                  },
                  { key: 'category', label: t('sr.field.category'), children: categories.name(r.category) },
                  { key: 'applies', label: t('sr.field.appliesTo'), children: <AppliesTo r={r} max={20} /> },
                  {
                    key: 'received',
                    label: t('sr.field.receivedOn'),
                    children: `${r.receivedOn}${r.receiver ? ` · ${r.receiver.name}` : ''}`,
                  },
                  {
                    key: 'owner',
                    label: t('sr.field.ownerDepartment'),
                    children: orDash(r.ownerDepartment?.name),
                  },
                  {
                    key: 'mp',
                    label: t('sr.field.afterMassProduction'),
                    children: r.afterMassProduction
                      ? r.projectInformedAt
                        ? t('sr.project.informedAt', { at: formatDateTime(r.projectInformedAt) })
                        : t('sr.project.dueOn', { date: r.projectDueOn ?? '—' })
                      : t('common.no'),
                  },
                  { key: 'reviewed', label: t('sr.field.reviewedOn'), children: orDash(r.reviewedOn) },
                  ...(r.confirmedAt
                    ? [
                        {
                          key: 'confirmed',
                          label: t('sr.field.confirmedBy'),
                          children: when(r.confirmedBy, r.confirmedAt),
                        },
                      ]
                    : []),
                  ...(r.needsRecheck
                    ? [
                        {
                          key: 'recheck',
                          label: t('sr.recheck.tag'),
                          span: 2,
                          children: (
                            <Typography.Text type="warning">
                              {r.recheckReason ?? t('sr.recheck.tooltip')}
                            </Typography.Text>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
            </Card>
            <ReviewsCard
              r={r}
              onReview={setReviewing}
              onRequest={() => setDrawer('request')}
              onChanged={setR}
            />
            <SrActionsCard r={r} version={actionsVersion} onChanged={load} />
            <LinksCard r={r} onLink={() => setDrawer('link')} onChanged={setR} />
          </Flex>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={t('sr.section.history')} size="small">
            <History r={r} />
          </Card>
        </Col>
      </Row>
      <RequestReviewsDrawer open={drawer === 'request'} r={r} onClose={() => setDrawer(null)} onDone={done} />
      <ReviewDrawer r={r} review={reviewing} onClose={() => setReviewing(null)} onDone={done} />
      <LinkDocumentDrawer open={drawer === 'link'} r={r} onClose={() => setDrawer(null)} onDone={done} />
      <EditRequirementDrawer open={drawer === 'edit'} r={r} onClose={() => setDrawer(null)} onDone={done} />
      <OneFieldDrawer
        kind={
          drawer === 'notApplicable' ||
          drawer === 'obsolete' ||
          drawer === 'rechecked' ||
          drawer === 'informed'
            ? drawer
            : null
        }
        r={r}
        onClose={() => setDrawer(null)}
        onDone={done}
      />
      <DistributeDrawer
        open={drawer === 'distribute'}
        customerId={r.customer.id}
        requirement={r}
        onClose={() => setDrawer(null)}
        onDone={() => {
          setDrawer(null);
          load();
        }}
      />
    </PageContainer>
  );
}

/** 待评审 → 评审中 → 已落实 (or 不适用); 已废止 marks the last step red. */
function SrSteps({ r }: { r: Requirement }) {
  const t = useT();
  const label = useLabel();
  const requested = r.reviews.map((v) => v.requestedAt).sort()[0] ?? null;
  const end: SrStatus = r.status === 'not_applicable' ? 'not_applicable' : 'implemented';
  const steps = [
    { title: label(SR_STATUS_LABELS.pending_review), description: r.receivedOn },
    {
      title: label(SR_STATUS_LABELS.in_review),
      description: requested ? formatDateTime(requested) : undefined,
    },
    {
      title: label(SR_STATUS_LABELS[end]),
      description: r.confirmedAt
        ? `${r.confirmedBy?.name ?? ''} ${formatDateTime(r.confirmedAt)}`
        : undefined,
    },
  ];
  const current =
    r.status === 'pending_review'
      ? 0
      : r.status === 'in_review'
        ? 1
        : r.status === 'obsolete'
          ? r.confirmedAt
            ? 2
            : requested
              ? 1
              : 0
          : 3;
  return (
    <Flex vertical gap={8}>
      <Steps
        size="small"
        current={current}
        status={r.status === 'obsolete' ? 'error' : current === 3 ? 'finish' : 'process'}
        items={steps.map((s) => ({ title: s.title, content: s.description }))}
        responsive
      />
      {r.status === 'obsolete' && <Typography.Text type="danger">{t('sr.obsoleteNote')}</Typography.Text>}
    </Flex>
  );
}

/** What the requirement waits for now, in one sentence. */
function NextStepAlert({ r }: { r: Requirement }) {
  const t = useT();
  if (r.status === 'obsolete' || r.status === 'not_applicable') return null;
  if (r.status === 'implemented')
    return r.needsRecheck ? <Alert type="warning" showIcon title={t('sr.next.recheck')} /> : null;
  let text: string;
  if (r.status === 'pending_review') text = t('sr.next.request');
  else {
    const waiting = r.reviews.filter((v) => !v.decision).map((v) => v.department.name);
    text = waiting.length
      ? t('sr.next.reviews', { departments: waiting.join('、') })
      : r.openActions > 0 || r.pendingDocuments > 0
        ? t('sr.next.work', { actions: r.openActions, documents: r.pendingDocuments })
        : t('sr.next.confirm');
  }
  const mine = r.reviews.some((v) => v.canReview && !v.decision);
  return (
    <Alert
      type={r.projectOverdue ? 'error' : 'info'}
      showIcon
      title={text}
      description={
        [mine ? t('sr.next.yourReview') : null, r.projectOverdue ? t('sr.project.overdueAlert') : null]
          .filter(Boolean)
          .join(' ') || undefined
      }
    />
  );
}

function ReviewsCard({
  r,
  onReview,
  onRequest,
  onChanged,
}: {
  r: Requirement;
  onReview: (v: Requirement['reviews'][number]) => void;
  onRequest: () => void;
  onChanged: (r: Requirement) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const withdraw = async (departmentId: string) => {
    try {
      onChanged(await srApi.withdrawReview(r.id, departmentId));
      message.success(t('sr.reviews.withdrawn'));
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Card title={t('sr.section.reviews')} size="small" data-testid="sr-reviews">
      <Table<Requirement['reviews'][number]>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={r.reviews}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                r.can.requestReviews ? (
                  <span>
                    {t('sr.reviews.emptyCan')}{' '}
                    <Button type="link" size="small" onClick={onRequest}>
                      {t('sr.reviews.requestButton')}
                    </Button>
                  </span>
                ) : (
                  t('sr.reviews.empty')
                )
              }
            />
          ),
        }}
        columns={[
          { title: t('sr.reviews.department'), key: 'dept', width: 110, render: (_, v) => v.department.name },
          {
            title: t('sr.reviews.decision'),
            key: 'decision',
            width: 100,
            render: (_, v) =>
              v.decision ? (
                <Tag color={v.decision === 'applicable' ? 'blue' : 'default'}>
                  {label(SR_REVIEW_DECISION_LABELS[v.decision])}
                </Tag>
              ) : (
                <Tag color="warning">{t('sr.reviews.waiting')}</Tag>
              ),
          },
          {
            title: t('sr.reviews.decisionNote'),
            key: 'note',
            render: (_, v) => (
              <div>
                <div style={{ whiteSpace: 'pre-wrap' }}>{v.note ?? ''}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {v.reviewedAt
                    ? t('sr.reviews.by', { name: v.reviewedBy?.name ?? '', at: formatDateTime(v.reviewedAt) })
                    : t('sr.reviews.askedBy', {
                        name: v.requestedBy?.name ?? '',
                        at: formatDateTime(v.requestedAt),
                      })}
                </Typography.Text>
              </div>
            ),
          },
          { title: t('sr.reviews.owner'), key: 'owner', width: 100, render: (_, v) => orDash(v.owner?.name) },
          {
            title: t('common.actions'),
            key: 'act',
            width: 130,
            render: (_, v) => (
              <Flex gap={4} wrap>
                {v.canReview && (
                  <Button
                    size="small"
                    type={v.decision ? 'default' : 'primary'}
                    icon={<CheckOutlined />}
                    onClick={() => onReview(v)}
                    data-testid="sr-review"
                  >
                    {v.decision ? t('sr.reviews.change') : t('sr.reviews.review')}
                  </Button>
                )}
                {!v.decision && r.can.requestReviews && (
                  <Popconfirm
                    title={t('sr.reviews.withdrawConfirm', { department: v.department.name })}
                    onConfirm={() => withdraw(v.department.id)}
                  >
                    <Button size="small" type="link" danger>
                      {t('sr.reviews.withdraw')}
                    </Button>
                  </Popconfirm>
                )}
              </Flex>
            ),
          },
        ]}
      />
    </Card>
  );
}

/** The requirement's actions (corrective actions with source 'special_requirement'). */
function SrActionsCard({
  r,
  version,
  onChanged,
}: {
  r: Requirement;
  version: number;
  onChanged: () => void;
}) {
  const t = useT();
  const fetch = useCallback(() => srApi.actions(r.id), [r.id]);
  return (
    <SourceActionsCard
      title={t('sr.section.actions')}
      testId="sr-actions"
      fetch={fetch}
      reloadKey={`${r.id}:${r.status}:${r.reviews.length}:${version}`}
      mayRaise={r.can.raiseAction}
      raiseDrawer={(p) => <RaiseSrActionDrawer open={p.open} r={r} onClose={p.onClose} onDone={p.onDone} />}
      emptyText={{ canRaise: t('sr.actions.emptyCan'), cannot: t('sr.actions.empty') }}
      onChanged={onChanged}
    />
  );
}

/** 相关文件及版本: each linked document with the implementing version; red when that version is
 * not the document's current one (已落实 is refused until it is). */
function LinksCard({
  r,
  onLink,
  onChanged,
}: {
  r: Requirement;
  onLink: () => void;
  onChanged: (r: Requirement) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const unlink = async (linkId: string) => {
    try {
      onChanged(await srApi.unlink(r.id, linkId));
      message.success(t('sr.links.removed'));
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Card
      title={t('sr.section.links')}
      size="small"
      data-testid="sr-links"
      extra={
        r.can.link && (
          <Button size="small" icon={<LinkOutlined />} onClick={onLink}>
            {t('sr.links.button')}
          </Button>
        )
      }
    >
      <Table<Requirement['links'][number]>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={r.links}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={r.can.link ? t('sr.links.emptyCan') : t('sr.links.empty')}
            />
          ),
        }}
        columns={[
          {
            title: t('sr.links.role'),
            key: 'role',
            width: 100,
            render: (_, l) => label(SR_DOCUMENT_ROLE_LABELS[l.role]),
          },
          {
            title: t('sr.links.document'),
            key: 'doc',
            render: (_, l) => (
              <div>
                <Link to={`/documents/${l.document.id}`}>
                  {l.document.docNumber ? `${l.document.docNumber} ` : ''}
                  {l.document.title}
                </Link>
                {l.note && (
                  <div>
                    <Typography.Text type="secondary">{l.note}</Typography.Text>
                  </div>
                )}
              </div>
            ),
          },
          {
            title: t('sr.links.version'),
            key: 'version',
            width: 170,
            render: (_, l) => (
              <Flex gap={4} wrap align="center">
                <span>{l.version.label ?? '—'}</span>
                {l.current ? (
                  <Tag color="success" style={{ marginInlineEnd: 0 }}>
                    {t('sr.links.current')}
                  </Tag>
                ) : (
                  <Tooltip title={t('sr.links.notCurrentHelp')}>
                    <Tag color="error" style={{ marginInlineEnd: 0 }} data-testid="sr-link-not-current">
                      {t('sr.links.notCurrent')}
                    </Tag>
                  </Tooltip>
                )}
              </Flex>
            ),
          },
          {
            title: t('sr.links.by'),
            key: 'by',
            width: 150,
            render: (_, l) => (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {[l.department?.name, l.linkedBy?.name].filter(Boolean).join(' · ')}
                <br />
                {formatDateTime(l.linkedAt)}
              </Typography.Text>
            ),
          },
          ...(r.can.link
            ? [
                {
                  title: '',
                  key: 'remove',
                  width: 50,
                  render: (_: unknown, l: Requirement['links'][number]) => (
                    <Popconfirm title={t('sr.links.removeConfirm')} onConfirm={() => unlink(l.id)}>
                      <Button
                        size="small"
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('common.delete')}
                      />
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

/** Field-by-field history, newest first. */
function History({ r }: { r: Requirement }) {
  const t = useT();
  const label = useLabel();
  const categories = useSrCategories();
  if (r.history.length === 0)
    return <Typography.Text type="secondary">{t('sr.history.empty')}</Typography.Text>;
  const known: Record<string, string> = {
    status: t('common.status'),
    category: t('sr.field.category'),
    title: t('sr.field.title'),
    text: t('sr.field.text'),
    source: t('sr.field.sourceDocument'),
    source_document_id: t('sr.field.sourceDocument'),
    sourceDocumentId: t('sr.field.sourceDocument'),
    source_clause: t('sr.field.clause'),
    sourceClause: t('sr.field.clause'),
    part_numbers: t('sr.field.partNumbers'),
    partNumbers: t('sr.field.partNumbers'),
    received_on: t('sr.field.receivedOn'),
    receivedOn: t('sr.field.receivedOn'),
    owner_department_id: t('sr.field.ownerDepartment'),
    ownerDepartmentId: t('sr.field.ownerDepartment'),
    after_mass_production: t('sr.field.afterMassProduction'),
    afterMassProduction: t('sr.field.afterMassProduction'),
    needs_recheck: t('sr.recheck.tag'),
    needsRecheck: t('sr.recheck.tag'),
    ownerDepartment: t('sr.field.ownerDepartment'),
    reviewedOn: t('sr.field.reviewedOn'),
    reviews: t('sr.history.reviews'),
    acknowledgement: t('sr.history.acknowledgement'),
    link: t('sr.history.link'),
    sourceVersion: t('sr.history.sourceVersion'),
    projectInformedAt: t('sr.project.informed'),
  };
  const fieldName = (field: string) =>
    known[field] ??
    (field.startsWith('review:') ? t('sr.history.review', { department: field.slice(7) }) : field);
  const value = (field: string, v: string | null) => {
    if (v === null || v === '') return '—';
    if (field === 'status' && v in SR_STATUS_LABELS) return label(SR_STATUS_LABELS[v as SrStatus]);
    if (field === 'category') return categories.name(v);
    return v;
  };
  const items = r.history.slice().sort((a, b) => (a.at < b.at ? 1 : -1));
  return (
    <Timeline
      items={items.map((h, i) => ({
        key: `${h.at}-${i}`,
        color: h.field === 'status' ? 'green' : 'blue',
        content: (
          <div>
            <Typography.Text strong>{fieldName(h.field)}</Typography.Text>
            {(h.oldValue !== null || h.newValue !== null) && (
              <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                {h.oldValue !== null && (
                  <Typography.Text delete type="secondary">
                    {value(h.field, h.oldValue)}
                  </Typography.Text>
                )}
                {h.oldValue !== null && ' → '}
                {value(h.field, h.newValue)}
              </div>
            )}
            {h.note && <div style={{ whiteSpace: 'pre-wrap' }}>{h.note}</div>}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(h.at)} {h.actor?.name ?? t('sr.history.system')}
            </Typography.Text>
          </div>
        ),
      }))}
    />
  );
}
