import {
  BarChart,
  type BarSeriesOption,
  LineChart,
  type LineSeriesOption,
  PieChart,
  type PieSeriesOption,
} from 'echarts/charts';
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
// The ES module build: the CommonJS one (lib/core) reaches the bundle as `{ default }`, which
// React cannot render.
import ReactEChartsCore from 'echarts-for-react/esm/core';
import type { CSSProperties } from 'react';

// Apache ECharts with only what the pages draw (bars, lines, pies, their grid, tooltip and
// legend), so that the chunk stays small: the full `echarts` entry would add the maps, 3D and
// every other chart type to the page.

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
>;

/** What a click on a bar or slice hands over: the data item as given in the series. */
export interface ChartClick<T> {
  data: T;
  seriesIndex: number;
  dataIndex: number;
}

export function Chart<T = unknown>({
  option,
  height = 300,
  onClick,
  style,
  testId,
  label,
}: {
  option: ChartOption;
  height?: number;
  onClick?: (e: ChartClick<T>) => void;
  style?: CSSProperties;
  testId?: string;
  /** A text alternative for screen readers (what the chart shows, in words). */
  label?: string;
}) {
  const chart = (
    <ReactEChartsCore
      echarts={echarts}
      option={option}
      notMerge
      lazyUpdate
      style={{ height, width: '100%', ...style }}
      onEvents={onClick ? { click: (e: ChartClick<T>) => onClick(e) } : undefined}
    />
  );
  return label ? (
    <div data-testid={testId} role="img" aria-label={label}>
      {chart}
    </div>
  ) : (
    <div data-testid={testId}>{chart}</div>
  );
}
