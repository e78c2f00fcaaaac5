import type { z } from 'zod';
import type {
  ActionTodo,
  CorrectiveAction,
  completeActionBody,
  createActionBody,
  listActionsQuery,
  sourceActionsSchema,
  verifyActionBody,
} from '../../common/schemas/actions';
import { api, type Query, queryString } from './client';
import type { Page } from './platform';

// Typed calls of the corrective and preventive actions API (纠正预防措施).

export type ActionQuery = Omit<z.input<typeof listActionsQuery>, 'cursor' | 'limit'>;
export type RaiseActionInput = z.input<typeof createActionBody>;
export type CompleteActionInput = z.input<typeof completeActionBody>;
export type VerifyActionInput = z.input<typeof verifyActionBody>;
export type SourceActions = z.output<typeof sourceActionsSchema>;

const enc = encodeURIComponent;
const one = (id: string) => `/actions/${enc(id)}`;

export const actionsApi = {
  todo: () => api.get<ActionTodo>('/actions/todo'),
  list: (query: ActionQuery, cursor?: string | null, limit = 50) =>
    api.get<Page<CorrectiveAction>>('/actions', { ...(query as Query), cursor, limit }),
  exportUrl: (query: ActionQuery, format: 'xlsx' | 'csv') =>
    `/api/actions/export.${format}${queryString(query as Query)}`,
  get: (id: string) => api.get<CorrectiveAction>(one(id)),
  complete: (id: string, body: CompleteActionInput) =>
    api.post<CorrectiveAction>(`${one(id)}/complete`, body),
  verify: (id: string, body: VerifyActionInput) => api.post<CorrectiveAction>(`${one(id)}/verify`, body),
  ofCase: (caseId: string) => api.get<SourceActions>(`/cases/${enc(caseId)}/actions`),
  raiseOnCase: (caseId: string, body: RaiseActionInput) =>
    api.post<CorrectiveAction>(`/cases/${enc(caseId)}/actions`, body),
};
