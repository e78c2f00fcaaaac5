import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Input,
  Modal,
  Progress,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import {
  CLASS_REASON_LABELS,
  CREDIT_APPROVER_LABELS,
  CREDIT_LEVEL_LABELS,
  CREDIT_REQUEST_KIND_LABELS,
  CREDIT_REQUEST_STATUS_LABELS,
  INVESTIGATION_KIND_LABELS,
} from '../../../common/credit';
import { CREDIT_CLASS_LABELS } from '../../../common/customers';
import type { CreditCard } from '../../../common/schemas/credit';
import { formatDateTime } from '../../../common/time';
import { errorText } from '../../api/client';
import { creditApi } from '../../api/credit';
import { Chart } from '../../components/Chart';
import { FileLink } from '../../components/FileLink';
import { useLabel, useT } from '../../i18n';
import { CreditFormDrawer, type CreditFormKind } from './CreditForms';

// The 信用 tab of the customer archive (R-A4): exposure against the limit (a bar chart; only the
// share for readers who may not see amounts), the class with what the criteria propose and its
// history, 暂停供货, balances, 信用调查 (with the 客户信用调查表), requests for a limit or a
// class with their approval, admission (客户交易卡) and 危险客户报告.

const LEVEL_COLORS = { ok: '#52c41a', warn: '#faad14', over: '#ff4d4f' } as const;

export function CustomerCreditTab({ customerId }: { customerId: string }) {
  const t = useT();
  const label = useLabel();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const [card, setCard] = useState<CreditCard | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  const [form, setForm] = useState<CreditFormKind | null>(null);
  const [suspendOpen, setSuspendOpen] = useState(false);
  const [reason, setReason] = useState('');
  const load = useCallback(() => {
    creditApi.card(customerId).then(setCard).catch(setFailed);
  }, [customerId]);
  useEffect(load, [load]);
  if (failed) return <Alert type="error" showIcon title={errorText(failed)} />;
  if (!card) return <Card loading />;
  const act = async (run: () => Promise<CreditCard>, done: string) => {
    try {
      setCard(await run());
      message.success(done);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const decide = (
    run: (body: { decision: 'approve' | 'reject'; comment: string | null }) => Promise<CreditCard>,
  ) => {
    let comment = '';
    const ask = (decision: 'approve' | 'reject') =>
      modal.confirm({
        title: decision === 'approve' ? t('credit.approve') : t('credit.reject'),
        content: (
          <Input.TextArea
            rows={3}
            onChange={(e) => (comment = e.target.value)}
            placeholder={t('credit.comment')}
          />
        ),
        onOk: () => act(() => run({ decision, comment: comment || null }), t('credit.decided')),
      });
    return (
      <Space>
        <Button size="small" type="primary" onClick={() => ask('approve')}>
          {t('credit.approve')}
        </Button>
        <Button size="small" danger onClick={() => ask('reject')}>
          {t('credit.reject')}
        </Button>
      </Space>
    );
  };
  const level = card.level;
  const chart = card.amountsVisible && card.creditLimit !== null && (
    <Chart
      height={160}
      testId="credit-gauge"
      label={t('credit.chart.label', { share: card.share ?? 0 })}
      onClick={() =>
        navigate(`/credit?filter=${level === 'ok' ? 'limited' : level === 'warn' ? 'near' : 'over'}`)
      }
      option={{
        tooltip: { trigger: 'axis' },
        legend: { bottom: 0 },
        grid: { left: 80, right: 24, top: 8, bottom: 56 },
        xAxis: { type: 'value' },
        yAxis: { type: 'category', data: [t('credit.exposure'), t('credit.limit')] },
        series: [
          {
            name: t('credit.receivables'),
            type: 'bar',
            stack: 'e',
            data: [Number(card.receivables ?? 0), 0],
          },
          {
            name: t('credit.unsettledBills'),
            type: 'bar',
            stack: 'e',
            data: [Number(card.unsettledBills ?? 0), 0],
          },
          ...(card.openOrders !== null
            ? [
                {
                  name: t('credit.openOrders'),
                  type: 'bar' as const,
                  stack: 'e',
                  data: [Number(card.openOrders), 0],
                },
              ]
            : []),
          {
            name: t('credit.limit'),
            type: 'bar',
            stack: 'e',
            data: [0, Number(card.creditLimit)],
            itemStyle: { color: LEVEL_COLORS[level] },
          },
        ],
      }}
    />
  );
  return (
    <Flex vertical gap={16} data-testid="credit-tab">
      {card.suspended && (
        <Alert
          type="error"
          showIcon
          title={t('credit.suspendedBanner', { reason: card.suspended.reason ?? '' })}
          description={`${card.suspended.by?.name ?? ''} ${card.suspended.at ? formatDateTime(card.suspended.at) : ''}`}
        />
      )}
      <Card
        size="small"
        title={t('credit.title')}
        extra={
          <Space wrap>
            {card.can.balance && (
              <Button onClick={() => setForm('balance')}>{t('credit.form.balance')}</Button>
            )}
            {card.can.investigate && (
              <Button onClick={() => setForm('investigation')}>{t('credit.form.investigation')}</Button>
            )}
            {card.can.request && <Button onClick={() => setForm('limit')}>{t('credit.form.limit')}</Button>}
            {card.can.request && <Button onClick={() => setForm('class')}>{t('credit.form.class')}</Button>}
            {card.can.admit && (
              <Button onClick={() => setForm('admission')}>{t('credit.form.admission')}</Button>
            )}
            {card.can.danger && (
              <Button danger onClick={() => setForm('danger')}>
                {t('credit.form.danger')}
              </Button>
            )}
            <span>
              {t('credit.suspend')}{' '}
              <Switch
                data-testid="credit-suspend"
                checked={!!card.suspended}
                disabled={!(card.can.suspend || card.can.resume)}
                onChange={() => {
                  setReason('');
                  setSuspendOpen(true);
                }}
              />
            </span>
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('credit.limit')}>
            {card.amountsVisible ? (card.creditLimit ?? t('credit.none')) : t('credit.hidden')}
          </Descriptions.Item>
          <Descriptions.Item label={t('credit.exposure')}>
            {card.amountsVisible ? card.exposure : t('credit.hidden')}
          </Descriptions.Item>
          <Descriptions.Item label={t('credit.level')}>
            <Tag color={LEVEL_COLORS[level]}>{label(CREDIT_LEVEL_LABELS[level])}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('credit.balance.asOf')}>{card.balanceAsOf ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('credit.overdueDays')}>{card.overdueDays ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('credit.class')}>
            {card.creditClass ? label(CREDIT_CLASS_LABELS[card.creditClass]) : '—'}{' '}
            <Typography.Text type="secondary">
              {t('credit.proposed', {
                cls: label(CREDIT_CLASS_LABELS[card.proposal.proposed]),
                reasons: card.proposal.reasons.map((r) => label(CLASS_REASON_LABELS[r])).join('、'),
              })}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
        {card.share !== null && (
          <Progress
            percent={Math.min(card.share, 100)}
            format={() => `${card.share}%`}
            strokeColor={LEVEL_COLORS[level]}
            success={{ percent: 0 }}
            data-testid="credit-share"
          />
        )}
        {chart}
      </Card>
      <Card size="small" title={t('credit.requests')}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={card.requests}
          locale={{ emptyText: t('credit.empty') }}
          columns={[
            { title: t('credit.request.kind'), render: (_, q) => label(CREDIT_REQUEST_KIND_LABELS[q.kind]) },
            {
              title: t('credit.request.value'),
              render: (_, q) =>
                q.kind === 'class'
                  ? q.creditClass && label(CREDIT_CLASS_LABELS[q.creditClass])
                  : (q.creditLimit ?? t('credit.hidden')),
            },
            { title: t('credit.request.reason'), dataIndex: 'reason' },
            {
              title: t('credit.request.approver'),
              render: (_, q) => label(CREDIT_APPROVER_LABELS[q.approverRole]),
            },
            {
              title: t('credit.request.by'),
              render: (_, q) => `${q.requestedBy?.name ?? ''} ${formatDateTime(q.requestedAt)}`,
            },
            {
              title: t('credit.request.status'),
              render: (_, q) =>
                q.canDecide
                  ? decide((b) => creditApi.decide(q.id, b))
                  : `${label(CREDIT_REQUEST_STATUS_LABELS[q.status])}${q.decidedBy ? ` · ${q.decidedBy.name}` : ''}${q.comment ? ` · ${q.comment}` : ''}`,
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('credit.investigations')}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={card.investigations}
          locale={{ emptyText: t('credit.empty') }}
          columns={[
            { title: t('credit.investigation.on'), dataIndex: 'investigatedOn', width: 110 },
            {
              title: t('credit.investigation.kind'),
              render: (_, i) => label(INVESTIGATION_KIND_LABELS[i.kind]),
              width: 90,
            },
            { title: t('credit.investigation.conclusion'), dataIndex: 'conclusion' },
            { title: t('credit.request.by'), render: (_, i) => i.createdBy?.name, width: 90 },
            {
              title: t('credit.files'),
              render: (_, i) => (
                <Space wrap>
                  {i.files.map((f) => (
                    <FileLink key={f.id} href={creditApi.fileUrl(i.id, f.id)}>
                      {f.name}
                    </FileLink>
                  ))}
                  {card.can.investigate && (
                    <Upload
                      showUploadList={false}
                      beforeUpload={(file) => {
                        creditApi
                          .attach(i.id, file)
                          .then(() => {
                            message.success(t('credit.attached', { name: file.name }));
                            load();
                          })
                          .catch((e) => message.error(errorText(e)));
                        return false;
                      }}
                    >
                      <Button size="small">{t('credit.attach')}</Button>
                    </Upload>
                  )}
                  <FileLink href={creditApi.reportUrl(i.id)} inline>
                    {t('credit.investigation.pdf')}
                  </FileLink>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('credit.balances')}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={card.balances}
          locale={{ emptyText: t('credit.empty') }}
          columns={[
            { title: t('credit.balance.asOf'), dataIndex: 'asOf' },
            {
              title: t('credit.receivables'),
              dataIndex: 'receivables',
              align: 'right',
              render: (v) => v ?? t('credit.hidden'),
            },
            {
              title: t('credit.unsettledBills'),
              dataIndex: 'unsettledBills',
              align: 'right',
              render: (v) => v ?? t('credit.hidden'),
            },
            { title: t('credit.overdueDays'), dataIndex: 'overdueDays', align: 'right' },
            {
              title: t('credit.balance.source'),
              dataIndex: 'source',
              render: (v) => t(`credit.source.${v}` as 'credit.source.entry'),
            },
            { title: t('credit.note'), dataIndex: 'note' },
          ]}
        />
      </Card>
      <Card size="small" title={t('credit.admissions')}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={card.admissions}
          locale={{ emptyText: t('credit.empty') }}
          columns={[
            { title: t('credit.card.paymentTerms'), dataIndex: 'paymentTerms' },
            {
              title: t('credit.card.requestedLimit'),
              render: (_, a) => a.requestedLimit ?? t('credit.hidden'),
            },
            {
              title: t('credit.request.by'),
              render: (_, a) => `${a.requestedBy?.name ?? ''} ${formatDateTime(a.requestedAt)}`,
            },
            {
              title: t('credit.request.status'),
              render: (_, a) =>
                a.canDecide
                  ? decide((b) => creditApi.decideAdmission(a.id, b))
                  : `${label(CREDIT_REQUEST_STATUS_LABELS[a.status])}${a.decidedBy ? ` · ${a.decidedBy.name}` : ''}`,
            },
            {
              title: '',
              render: (_, a) => (
                <FileLink href={creditApi.cardUrl(a.id)} inline>
                  {t('credit.card.pdf')}
                </FileLink>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('credit.classHistory')}>
        <Table
          size="small"
          rowKey={(h) => h.at}
          pagination={false}
          dataSource={card.classHistory}
          locale={{ emptyText: t('credit.empty') }}
          columns={[
            { title: t('credit.at'), render: (_, h) => formatDateTime(h.at) },
            { title: t('credit.class'), render: (_, h) => `${h.from ?? '—'} → ${h.to ?? '—'}` },
            { title: t('credit.request.by'), dataIndex: 'actorName' },
            { title: t('credit.note'), dataIndex: 'note' },
          ]}
        />
      </Card>
      {card.dangerReports.length > 0 && (
        <Card size="small" title={t('credit.dangerReports')}>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={card.dangerReports}
            columns={[
              { title: t('credit.danger.on'), dataIndex: 'reportedOn' },
              { title: t('credit.danger.cause'), dataIndex: 'cause' },
              { title: t('credit.danger.details'), dataIndex: 'details' },
              { title: t('credit.danger.measures'), dataIndex: 'measures' },
              { title: t('credit.request.by'), render: (_, d) => d.createdBy?.name },
            ]}
          />
        </Card>
      )}
      <CreditFormDrawer
        customerId={customerId}
        kind={form}
        proposed={card.proposal.proposed}
        onClose={() => setForm(null)}
        onSaved={(next) => {
          setCard(next);
          setForm(null);
          message.success(t('credit.saved'));
        }}
      />
      <Modal
        open={suspendOpen}
        title={card.suspended ? t('credit.resume') : t('credit.suspend')}
        okButtonProps={{ disabled: !reason.trim(), danger: !card.suspended }}
        onCancel={() => setSuspendOpen(false)}
        onOk={async () => {
          setSuspendOpen(false);
          await act(() => creditApi.suspend(customerId, !card.suspended, reason), t('credit.saved'));
        }}
        destroyOnHidden
      >
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('credit.suspendReason')}
          data-testid="credit-suspend-reason"
        />
      </Modal>
    </Flex>
  );
}
