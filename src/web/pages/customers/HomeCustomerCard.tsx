import { ContainerOutlined, RightOutlined, WarningOutlined } from '@ant-design/icons';
import { Button, Card, Col, Flex, Row, Skeleton, Statistic, Typography, theme } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { customersApi } from '../../api/customers';
import { useAuth, useMe } from '../../auth/AuthContext';
import { useT } from '../../i18n';

/** 工作台: my archives and my overdue filings (R-C5), with links to the lists. */
export function HomeCustomerCard() {
  const t = useT();
  const me = useMe();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { token } = theme.useToken();
  const [counts, setCounts] = useState<{ mine: number; overdue: number; all: number } | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    Promise.all([
      customersApi.count({ ownerId: me.id }),
      customersApi.count({ ownerId: me.id, overdue: 'true' }),
      customersApi.count({}),
    ])
      .then(([mine, overdue, all]) => {
        if (live) setCounts({ mine: mine.count, overdue: overdue.count, all: all.count });
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [me.id]);

  // Nothing to say to someone who sees no archives and may not create any.
  if (failed || (counts && counts.all === 0 && !can('customer.create'))) return null;

  const go = (query: string) => navigate(`/customers${query}`);

  return (
    <Card
      title={
        <Flex gap={8} align="center">
          <ContainerOutlined />
          {t('home.customers')}
        </Flex>
      }
      extra={
        <Button type="link" onClick={() => go('')} style={{ paddingInline: 0 }}>
          {t('home.customersAll')} <RightOutlined />
        </Button>
      }
    >
      {!counts ? (
        <Skeleton active paragraph={{ rows: 1 }} title={false} />
      ) : (
        <Row gutter={16}>
          <Col xs={8}>
            <Statistic title={t('home.customersVisible')} value={counts.all} />
          </Col>
          <Col xs={8}>
            <Typography.Link onClick={() => go(`?ownerId=${me.id}`)} style={{ display: 'block' }}>
              <Statistic title={t('home.customersMine')} value={counts.mine} />
            </Typography.Link>
          </Col>
          <Col xs={8}>
            <Typography.Link
              onClick={() => go(`?ownerId=${me.id}&overdue=true`)}
              style={{ display: 'block' }}
              data-testid="home-overdue"
            >
              <Statistic
                title={t('home.customersOverdue')}
                value={counts.overdue}
                prefix={counts.overdue ? <WarningOutlined /> : undefined}
                styles={{ content: { color: counts.overdue ? token.colorError : undefined } }}
              />
            </Typography.Link>
          </Col>
        </Row>
      )}
    </Card>
  );
}
