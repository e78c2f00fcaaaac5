import { Card, Col, Empty, Flex, Row, Skeleton, Statistic, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import type { Dashboard, DashboardBlock, DashboardItem } from '../../../common/schemas/dashboard';
import { errorText } from '../../api/client';
import { dashboardApi } from '../../api/dashboard';
import { Chart, type ChartOption, donutOption } from '../../components/Chart';
import { type MessageKey, useT } from '../../i18n';

// 工作台 (R-W1): the panels GET /api/dashboard gives the reader's roles. Every figure and every
// chart element opens the list the server named for it (`to`), which shows exactly the records
// counted. A block the server adds needs only its title `dashboard.block.<key>` here.

const COLORS = { warning: '#d46b08', danger: '#cf1322' };
const GRADE_COLORS: Record<string, string> = { A: '#1677ff', B: '#13c2c2', C: '#faad14', none: '#bfbfbf' };

export function DashboardPanels() {
  const t = useT();
  const [board, setBoard] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    dashboardApi
      .get()
      .then((x) => live && setBoard(x))
      .catch((e) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, []);
  if (error) return <Typography.Text type="danger">{error}</Typography.Text>;
  if (!board)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  return (
    <>
      {board.panels.map((panel) => (
        <Card
          key={panel.key}
          title={t(`dashboard.panel.${panel.key}` as MessageKey)}
          data-testid={`dashboard-${panel.key}`}
        >
          {/* The figures to act on first, as tiles that share each row out by their number of
              figures; the charts below, two to a row. */}
          <Flex wrap gap={16}>
            {panel.blocks
              .filter((x) => x.kind === 'number')
              .map((block) => (
                <div
                  key={block.key}
                  style={{ flex: `${block.items.length} 1 ${block.items.length * 200}px`, minWidth: 0 }}
                >
                  <BlockView block={block} panel={panel.key} />
                </div>
              ))}
          </Flex>
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            {panel.blocks
              .filter((x) => x.kind !== 'number')
              .map((block) => (
                <Col key={block.key} xs={24} xl={12}>
                  <BlockView block={block} panel={panel.key} />
                </Col>
              ))}
          </Row>
        </Card>
      ))}
    </>
  );
}

function BlockView({ block, panel }: { block: DashboardBlock; panel: string }) {
  const t = useT();
  const title = t(`dashboard.block.${block.key}` as MessageKey);
  const testId = `dash-${panel}-${block.key}`;
  return (
    <Card size="small" title={title} style={{ height: '100%' }} data-testid={testId}>
      {block.kind === 'number' ? (
        <Numbers block={block} testId={testId} />
      ) : block.items.every((i) => !i.value) ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.empty')} />
      ) : (
        <BlockChart block={block} title={title} testId={`${testId}-chart`} />
      )}
    </Card>
  );
}

function Numbers({ block, testId }: { block: DashboardBlock; testId: string }) {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Flex gap={16} wrap>
      {block.items.map((item) => (
        <Card
          key={item.key}
          size="small"
          hoverable
          role="link"
          tabIndex={0}
          style={{ flex: '1 1 120px' }}
          onClick={() => navigate(item.to)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') navigate(item.to);
          }}
          data-testid={`${testId}-${item.key}`}
        >
          <Statistic
            title={item.label}
            value={item.value ?? t('dashboard.none')}
            suffix={item.value !== null && block.unit === 'percent' ? '%' : undefined}
            precision={block.unit === 'count' || item.value === null ? undefined : 1}
            styles={
              block.tone && item.value && block.unit === 'count'
                ? { content: { color: COLORS[block.tone] } }
                : undefined
            }
          />
        </Card>
      ))}
    </Flex>
  );
}

function BlockChart({ block, title, testId }: { block: DashboardBlock; title: string; testId: string }) {
  const navigate = useNavigate();
  const items = block.kind === 'pie' ? block.items.filter((i) => i.value) : block.items;
  const data = items.map((i) => {
    const color = block.kind === 'pie' ? GRADE_COLORS[i.key] : undefined;
    return { name: i.label, value: i.value ?? 0, to: i.to, ...(color ? { itemStyle: { color } } : {}) };
  });
  const option: ChartOption =
    block.kind === 'pie'
      ? block.unit === 'percent'
        ? donutOption(data, '{b}：{c}%', '{b} {c}%')
        : donutOption(data, '{b}：{c}（{d}%）')
      : {
          tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
          grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
          xAxis: { type: 'category', data: items.map((i) => i.label), axisLabel: { interval: 0 } },
          yAxis: { type: 'value', minInterval: 1 },
          series: [{ type: 'bar', barMaxWidth: 36, label: { show: true, position: 'top' }, data }],
        };
  const summary = `${title}：${items.map((i) => `${i.label} ${i.value ?? '—'}`).join('，')}`;
  return (
    <Chart<DashboardItem>
      option={option}
      height={260}
      testId={testId}
      label={summary}
      onClick={(e) => navigate(e.data.to)}
    />
  );
}
