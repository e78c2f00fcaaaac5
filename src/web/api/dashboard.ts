import type { Dashboard } from '../../common/schemas/dashboard';
import { api } from './client';

// 工作台 (GET /api/dashboard): the reader's role panels.

export const dashboardApi = {
  get: () => api.get<Dashboard>('/dashboard'),
};
