import { CheckOutlined, ReadOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Flex, Input, Modal, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { SR_ACK_KIND_LABELS, type SrAckKind } from '../../../common/special-requirements';
import { formatDateTime } from '../../../common/time';
import { errorText } from '../../api/client';
import { type MyAcknowledgement, srApi } from '../../api/special-requirements';
import { ListCard } from '../../components/ListCard';
import { PageContainer } from '../../components/PageContainer';
import { useLabel, useT } from '../../i18n';
import { text } from './shared';

/** 我的确认 /special-requirements/acknowledgements (R-S3): what was distributed to the reader and
 * not yet acknowledged; 已阅 or 已培训 with an optional note. */
export default function AcknowledgementsPage() {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [items, setItems] = useState<MyAcknowledgement[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [acking, setAcking] = useState<{ d: MyAcknowledgement; kind: SrAckKind } | null>(null);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const load = useCallback(async () => {
    try {
      setItems(await srApi.myAcknowledgements());
      setError(null);
    } catch (e) {
      setError(errorText(e));
      setItems([]);
    }
  }, []);
  useEffect(() => {
    load();
  }, [load]);
  const acknowledge = async () => {
    if (!acking) return;
    setSaving(true);
    try {
      await srApi.acknowledge(acking.d.distributionId, { kind: acking.kind, note: text(note) });
      message.success(t('sr.ack.done', { kind: label(SR_ACK_KIND_LABELS[acking.kind]) }));
      setAcking(null);
      setNote('');
      load();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <PageContainer title={t('sr.ack.title')} subTitle={t('sr.ack.intro')}>
      {error && (
        <Card>
          <Typography.Text type="danger">{error}</Typography.Text>
        </Card>
      )}
      <ListCard
        title={t('sr.ack.list')}
        total={items ? t('sr.ack.total', { count: items.length }) : null}
        onRefresh={load}
      >
        <Table<MyAcknowledgement>
          rowKey="distributionId"
          loading={items === null}
          dataSource={items ?? []}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: <Empty description={t('sr.ack.empty')} /> }}
          columns={[
            {
              title: t('sr.field.customer'),
              key: 'customer',
              width: 170,
              render: (_, d) => (
                // The requirements of that customer the recipient may see (the customer's own
                // page is for those who keep the list).
                <Link to={`/special-requirements?customerId=${d.customer.id}`}>
                  {d.customer.code} {d.customer.name}
                </Link>
              ),
            },
            {
              title: t('sr.dist.what'),
              key: 'what',
              render: (_, d) => (
                <div>
                  {d.requirement ? (
                    <Link to={`/special-requirements/${d.requirement.id}`}>
                      {d.requirement.number} {d.requirement.title}
                    </Link>
                  ) : (
                    <Link to={`/special-requirements?customerId=${d.customer.id}`}>
                      {t('sr.dist.wholeList', { revision: d.listRevision ?? '—' })}
                    </Link>
                  )}
                  {d.note && (
                    <div>
                      <Typography.Text type="secondary">{d.note}</Typography.Text>
                    </div>
                  )}
                </div>
              ),
            },
            {
              title: t('sr.ack.asked'),
              key: 'kind',
              width: 90,
              render: (_, d) => <Tag color="blue">{label(SR_ACK_KIND_LABELS[d.ackKind])}</Tag>,
            },
            {
              title: t('sr.dist.at'),
              key: 'at',
              width: 180,
              render: (_, d) => (
                <div>
                  <div>{`${formatDateTime(d.distributedAt)} ${d.distributedBy?.name ?? ''}`}</div>
                  {d.workingDaysOpen >= 3 && (
                    <Tag color="warning" style={{ marginTop: 4 }}>
                      {t('sr.ack.waitingDays', { days: d.workingDaysOpen })}
                    </Tag>
                  )}
                </div>
              ),
            },
            {
              title: t('common.actions'),
              key: 'act',
              width: 190,
              fixed: 'right',
              render: (_, d) => (
                <Flex gap={4} wrap>
                  <Button
                    size="small"
                    type={d.ackKind === 'read' ? 'primary' : 'default'}
                    icon={<ReadOutlined />}
                    disabled={d.ackKind === 'trained'}
                    title={d.ackKind === 'trained' ? t('sr.ack.trainingAsked') : undefined}
                    onClick={() => setAcking({ d, kind: 'read' })}
                    data-testid="sr-ack-read"
                  >
                    {label(SR_ACK_KIND_LABELS.read)}
                  </Button>
                  <Button
                    size="small"
                    type={d.ackKind === 'trained' ? 'primary' : 'default'}
                    icon={<CheckOutlined />}
                    onClick={() => setAcking({ d, kind: 'trained' })}
                    data-testid="sr-ack-trained"
                  >
                    {label(SR_ACK_KIND_LABELS.trained)}
                  </Button>
                </Flex>
              ),
            },
          ]}
        />
      </ListCard>
      <Modal
        open={!!acking}
        title={acking ? t('sr.ack.confirmTitle', { kind: label(SR_ACK_KIND_LABELS[acking.kind]) }) : ''}
        okText={t('sr.ack.confirm')}
        confirmLoading={saving}
        onOk={acknowledge}
        onCancel={() => {
          setAcking(null);
          setNote('');
        }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          {acking?.kind === 'trained' ? t('sr.ack.trainedHelp') : t('sr.ack.readHelp')}
        </Typography.Paragraph>
        <Input.TextArea
          rows={3}
          maxLength={500}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder={t('sr.ack.notePlaceholder')}
        />
      </Modal>
    </PageContainer>
  );
}
