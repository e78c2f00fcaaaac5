import type { z } from 'zod';
import type {
  CampaignFilters,
  campaignPreviewSchema,
  createCampaignBody,
  listCampaignsQuery,
  listInvitationsQuery,
  NewTemplateVersionInput,
  ResultsQuery,
  StaffResponseInput,
  SurveyCampaign,
  SurveyCampaignDetail,
  SurveyInvitation,
  SurveyResponse,
  SurveyResults,
  SurveyTemplate,
} from '../../common/schemas/surveys';
import { api, type Query, queryString } from './client';
import type { Page } from './platform';

// Typed calls of the satisfaction surveys API (顾客满意度调查, R-V3).

export type CampaignQuery = Omit<z.input<typeof listCampaignsQuery>, 'cursor' | 'limit'>;
export type InvitationQuery = Omit<z.input<typeof listInvitationsQuery>, 'cursor' | 'limit'>;
export type CreateCampaignInput = z.input<typeof createCampaignBody>;
export type CampaignPreview = z.output<typeof campaignPreviewSchema>;
export type SurveyResultsQuery = Partial<ResultsQuery>;
export type { CampaignFilters, NewTemplateVersionInput, StaffResponseInput };

const enc = encodeURIComponent;
const campaign = (id: string) => `/surveys/campaigns/${enc(id)}`;

/** A list the API may send bare or as `{ items }`: the rows either way. */
function rows<T>(data: T[] | { items: T[] } | null | undefined): T[] {
  if (!data) return [];
  return Array.isArray(data) ? data : (data.items ?? []);
}

export const surveysApi = {
  templates: () => api.get<SurveyTemplate[] | Page<SurveyTemplate>>('/surveys/templates').then(rows),
  template: (id: string) => api.get<SurveyTemplate>(`/surveys/templates/${enc(id)}`),
  /** Every version of a template, newest first. */
  versions: (key: string) =>
    api.get<Page<SurveyTemplate>>(`/surveys/templates/${enc(key)}/versions`).then(rows),
  newVersion: (key: string, body: NewTemplateVersionInput) =>
    api.post<SurveyTemplate>(`/surveys/templates/${enc(key)}/versions`, body),
  preview: (filters: CampaignFilters) => api.post<CampaignPreview>('/surveys/campaigns/preview', filters),
  campaigns: (query: CampaignQuery, cursor?: string | null, limit = 50) =>
    api.get<Page<SurveyCampaign>>('/surveys/campaigns', { ...query, cursor, limit }),
  create: (body: CreateCampaignInput) => api.post<SurveyCampaign>('/surveys/campaigns', body),
  campaign: (id: string) => api.get<SurveyCampaignDetail>(campaign(id)),
  send: (id: string) => api.post<SurveyCampaignDetail>(`${campaign(id)}/send`),
  remind: (id: string) => api.post<SurveyCampaignDetail>(`${campaign(id)}/remind`),
  close: (id: string) => api.post<SurveyCampaignDetail>(`${campaign(id)}/close`),
  invitations: (id: string, query: InvitationQuery, cursor?: string | null, limit = 50) =>
    api.get<Page<SurveyInvitation>>(`${campaign(id)}/invitations`, { ...query, cursor, limit }),
  respond: (invitationId: string, body: StaffResponseInput) =>
    api.post<SurveyResponse>(`/surveys/invitations/${enc(invitationId)}/response`, body),
  response: (id: string) => api.get<SurveyResponse>(`/surveys/responses/${enc(id)}`),
  responsePdfUrl: (id: string) => `/api/surveys/responses/${enc(id)}/form.pdf`,
  /** A customer's answered forms, newest first (the archive's 回访 tab). */
  customerSurveys: (customerId: string) =>
    api.get<SurveyResponse[] | Page<SurveyResponse>>(`/customers/${enc(customerId)}/surveys`).then(rows),
  results: (query: SurveyResultsQuery, signal?: AbortSignal) =>
    api.get<SurveyResults>('/surveys/results', query as Query, signal),
  /** 顾客满意度调查汇总表 or the appraisal export, with the results' filters. */
  exportUrl: (which: 'summary' | 'appraisal', format: 'xlsx' | 'csv', query: SurveyResultsQuery) => {
    const { groupBy: _groupBy, ...rest } = query;
    return `/api/surveys/results/${which}.${format}${queryString(rest as Query)}`;
  },
};
