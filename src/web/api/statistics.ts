import type {
  Holdings,
  ServiceSummary,
  StatisticsTableCode,
  UseStatistics,
} from '../../common/schemas/statistics';
import { api } from './client';

// Typed calls of the archive statistics API (档案统计, 统计年报).

const year = (y: number) => ({ year: String(y) });

export const statisticsApi = {
  holdings: (y: number, signal?: AbortSignal) => api.get<Holdings>('/statistics/holdings', year(y), signal),
  use: (y: number, signal?: AbortSignal) => api.get<UseStatistics>('/statistics/use', year(y), signal),
  service: (y: number, signal?: AbortSignal) =>
    api.get<ServiceSummary>('/statistics/service', year(y), signal),
  reportUrl: (y: number, format: 'xlsx' | 'pdf') => `/api/statistics/report.${format}?year=${y}`,
  tableCsvUrl: (y: number, table: StatisticsTableCode) => `/api/statistics/tables/${table}.csv?year=${y}`,
};
