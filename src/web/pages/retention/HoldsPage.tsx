import { UnlockOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Segmented, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { HOLD_KIND_LABELS } from '../../../common/retention';
import type { Hold } from '../../../common/schemas/retention';
import { formatDateTime } from '../../../common/time';
import { errorText } from '../../api/client';
import { retentionApi } from '../../api/retention';
import { useAuth } from '../../auth/AuthContext';
import { PageContainer } from '../../components/PageContainer';
import { useLabel, useT } from '../../i18n';
import { LiftHoldModal } from './shared';

/** 冻结登记 /retention/holds: what is frozen and why (R-X5); lifted holds stay on record. */
export default function HoldsPage() {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [active, setActive] = useState<'true' | 'false'>('true');
  const [holds, setHolds] = useState<Hold[] | null>(null);
  const [lifting, setLifting] = useState<Hold | null>(null);
  const load = useCallback(() => {
    setHolds(null);
    retentionApi
      .holds({ active })
      .then(setHolds)
      .catch((e) => message.error(errorText(e)));
  }, [active, message]);
  useEffect(() => {
    load();
  }, [load]);
  const person = (p: Hold['placedBy']) => p?.name ?? '';
  return (
    <PageContainer title={t('holds.title')} subTitle={t('holds.intro')}>
      <Card
        title={
          <Segmented
            value={active}
            onChange={(v) => setActive(v as 'true' | 'false')}
            options={[
              { value: 'true', label: t('holds.active') },
              { value: 'false', label: t('holds.lifted') },
            ]}
          />
        }
      >
        <Table<Hold>
          rowKey="id"
          size="middle"
          loading={holds === null}
          dataSource={holds ?? []}
          pagination={false}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('holds.empty')} />,
          }}
          columns={[
            {
              title: t('holds.target'),
              key: 'target',
              render: (_, h) => (
                <span>
                  <Tag>
                    {t(
                      h.targetType === 'customer' ? 'holds.targetType.customer' : 'holds.targetType.document',
                    )}
                  </Tag>
                  <Link
                    to={h.targetType === 'customer' ? `/customers/${h.targetId}` : `/documents/${h.targetId}`}
                  >
                    {h.targetLabel}
                  </Link>
                </span>
              ),
            },
            {
              title: t('holds.kind'),
              dataIndex: 'kind',
              width: 90,
              render: (k: Hold['kind']) => <Tag color="volcano">{label(HOLD_KIND_LABELS[k])}</Tag>,
            },
            { title: t('holds.reason'), dataIndex: 'reason' },
            {
              title: t('holds.placedBy'),
              key: 'placed',
              width: 220,
              render: (_, h) => `${person(h.placedBy)} ${formatDateTime(h.placedAt)}`,
            },
            ...(active === 'false'
              ? [
                  {
                    title: t('holds.liftedBy'),
                    key: 'lifted',
                    width: 260,
                    render: (_: unknown, h: Hold) => (
                      <span>
                        {person(h.liftedBy)} {formatDateTime(h.liftedAt)}
                        {h.liftReason && (
                          <Typography.Text type="secondary"> · {h.liftReason}</Typography.Text>
                        )}
                      </span>
                    ),
                  },
                ]
              : can('hold.manage')
                ? [
                    {
                      title: t('common.actions'),
                      key: 'actions',
                      width: 120,
                      render: (_: unknown, h: Hold) => (
                        <Button size="small" icon={<UnlockOutlined />} onClick={() => setLifting(h)}>
                          {t('holds.lift')}
                        </Button>
                      ),
                    },
                  ]
                : []),
          ]}
        />
      </Card>
      <LiftHoldModal
        hold={lifting}
        onClose={() => setLifting(null)}
        onDone={() => {
          setLifting(null);
          load();
        }}
      />
    </PageContainer>
  );
}
