import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useNavigate } from 'react-router';

// One module's group of 我的待办 tiles (R-W1): a count per key of the module's to-do endpoint,
// each opening the list behind it; a warning or danger tone colours a count that is not zero.

export interface TodoTile<K extends string = string> {
  key: K;
  /** Where the tile leads. */
  to: string;
  tone?: 'warning' | 'danger';
}
const COLORS = { warning: '#d46b08', danger: '#cf1322' };

export function TodoTiles<K extends string>({
  title,
  tiles,
  counts,
  label,
  testId,
}: {
  title: string;
  tiles: readonly TodoTile<K>[];
  /** The counts by key; null while loading. */
  counts: Partial<Record<K, number>> | null;
  label: (key: K) => string;
  testId: (key: K) => string;
}) {
  const navigate = useNavigate();
  return (
    <div>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {title}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {tiles.map(({ key, to, tone }) => (
          <Col xs={12} md={8} xl={4} key={key}>
            <Card hoverable onClick={() => navigate(to)} data-testid={testId(key)}>
              <Statistic
                title={label(key)}
                value={counts?.[key] ?? 0}
                loading={!counts}
                styles={tone && counts?.[key] ? { content: { color: COLORS[tone] } } : undefined}
              />
            </Card>
          </Col>
        ))}
      </Row>
    </div>
  );
}
