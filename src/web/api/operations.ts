import type { z } from 'zod';
import type { IntegrityCheckSummary, StoredIntegrityReport } from '../../common/schemas/integrity';
import type { Job } from '../../common/schemas/jobs';
import type {
  BackupList,
  Notification,
  putScheduleBody,
  Schedule,
  ScheduledTaskName,
  ScheduleRun,
} from '../../common/schemas/operations';
import { api } from './client';
import type { Page } from './platform';

// Notifications (everyone's own), the schedule of daily tasks, backups and the integrity
// check's history.

const enc = encodeURIComponent;

export type ScheduleInput = z.input<typeof putScheduleBody>;

export const notificationsApi = {
  list: (query: { unread?: boolean; cursor?: string | null; limit?: number } = {}) =>
    api.get<Page<Notification>>('/notifications', {
      unread: query.unread ? 'true' : undefined,
      cursor: query.cursor ?? undefined,
      limit: query.limit,
    }),
  unreadCount: () => api.get<{ count: number }>('/notifications/unread-count'),
  markRead: (id: string) => api.post<Notification>(`/notifications/${enc(id)}/read`),
  markAllRead: () => api.post<{ count: number }>('/notifications/read-all'),
};

export const scheduleApi = {
  get: () => api.get<Schedule>('/system/schedule'),
  put: (body: ScheduleInput) => api.put<Schedule>('/system/schedule', body),
  runs: (query: { task?: ScheduledTaskName; cursor?: string | null; limit?: number } = {}) =>
    api.get<Page<ScheduleRun>>('/system/schedule/runs', {
      task: query.task,
      cursor: query.cursor ?? undefined,
      limit: query.limit,
    }),
};

export const backupsApi = {
  list: () => api.get<BackupList>('/system/backups'),
  start: () => api.post<{ job: Job }>('/system/backups'),
};

export const integrityApi = {
  start: () => api.post<{ job: Job }>('/integrity/checks'),
  latest: () => api.get<StoredIntegrityReport>('/integrity/checks/latest'),
  get: (id: string) => api.get<StoredIntegrityReport>(`/integrity/checks/${enc(id)}`),
  history: (cursor: string | null) =>
    api.get<Page<IntegrityCheckSummary>>('/integrity/checks', { cursor: cursor ?? undefined, limit: 20 }),
};
