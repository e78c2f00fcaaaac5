import { AuditOutlined } from '@ant-design/icons';
import { Card, Flex, List } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { RetentionTasks } from '../../../common/schemas/retention';
import { retentionApi } from '../../api/retention';
import { useT } from '../../i18n';

/** 工作台: appraisal opinions, signatures and witness signatures waiting for me (R-X2/R-X3). */
export function HomeRetentionCard() {
  const t = useT();
  const [tasks, setTasks] = useState<RetentionTasks | null>(null);
  useEffect(() => {
    let live = true;
    retentionApi
      .tasks()
      .then((x) => live && setTasks(x))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  if (!tasks) return null;
  const rows = [
    ...tasks.opinions.map((x) => ({
      key: `o${x.id}`,
      to: `/retention/appraisals/${x.id}`,
      text: t('retention.tasks.opinions', { number: x.number, title: x.title, pending: x.pending }),
    })),
    ...tasks.signatures.map((x) => ({
      key: `s${x.id}`,
      to: `/retention/disposals/${x.id}`,
      text: t('retention.tasks.sign', { number: x.number, title: x.title, step: x.step }),
    })),
    ...tasks.witness.map((x) => ({
      key: `w${x.id}`,
      to: `/retention/disposals/${x.id}`,
      text: t('retention.tasks.witness', { number: x.number, title: x.title }),
    })),
    ...tasks.destroy.map((x) => ({
      key: `d${x.id}`,
      to: `/retention/disposals/${x.id}`,
      text: t('retention.tasks.destroy', { number: x.number, title: x.title }),
    })),
  ];
  if (rows.length === 0) return null;
  return (
    <Card
      title={
        <Flex gap={8} align="center">
          <AuditOutlined />
          {t('retention.tasks.title')}
        </Flex>
      }
    >
      <List
        size="small"
        dataSource={rows}
        renderItem={(r) => (
          <List.Item key={r.key}>
            <Link to={r.to}>{r.text}</Link>
          </List.Item>
        )}
      />
    </Card>
  );
}
