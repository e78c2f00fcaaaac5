import { DownloadOutlined } from '@ant-design/icons';
import { Button, Flex } from 'antd';
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
import { type CSSProperties, useRef } from 'react';

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

/** The pages' pie: a donut with each slice's name and value beside it and the legend below. */
export function donutOption(data: PieSeriesOption['data'], tooltip: string, label = '{b} {c}'): ChartOption {
  return {
    tooltip: { trigger: 'item', formatter: tooltip },
    legend: { bottom: 0, type: 'scroll' },
    series: [
      {
        type: 'pie',
        radius: ['35%', '65%'],
        center: ['50%', '45%'],
        label: { formatter: label },
        data,
      },
    ],
  };
}

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
  png,
}: {
  option: ChartOption;
  height?: number;
  onClick?: (e: ChartClick<T>) => void;
  style?: CSSProperties;
  testId?: string;
  /** A text alternative for screen readers (what the chart shows, in words). */
  label?: string;
  /** Offers the chart as a PNG of this file name (report pages: printable charts). */
  png?: { name: string; label: string };
}) {
  const ref = useRef<ReactEChartsCore>(null);
  const download = () => {
    const url = ref.current
      ?.getEchartsInstance()
      .getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
    if (!url || !png) return;
    const a = document.createElement('a');
    a.href = url;
    a.download = png.name;
    document.body.append(a);
    a.click();
    a.remove();
  };
  const chart = (
    <ReactEChartsCore
      ref={ref}
      echarts={echarts}
      option={option}
      notMerge
      lazyUpdate
      style={{ height, width: '100%', ...style }}
      onEvents={onClick ? { click: (e: ChartClick<T>) => onClick(e) } : undefined}
    />
  );
  const body = label ? (
    <div data-testid={testId} role="img" aria-label={label}>
      {chart}
    </div>
  ) : (
    <div data-testid={testId}>{chart}</div>
  );
  if (!png) return body;
  return (
    <div>
      <Flex justify="flex-end">
        <Button size="small" type="link" icon={<DownloadOutlined />} onClick={download}>
          {png.label}
        </Button>
      </Flex>
      {body}
    </div>
  );
}
