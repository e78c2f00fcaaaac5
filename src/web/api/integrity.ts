import type { IntegrityReport } from '../../common/schemas/integrity';
import type { Job } from '../../common/schemas/jobs';
import { api } from './client';

// The integrity check (四性检测): start one, read the latest report.
export const integrityApi = {
  start: () => api.post<{ job: Job }>('/integrity/checks'),
  latest: () => api.get<IntegrityReport>('/integrity/checks/latest'),
};
