import { z } from 'zod';
import { CUSTOMER_GRADES } from '../customers.js';
import {
  SURVEY_CAMPAIGN_STATUSES,
  SURVEY_CHANNELS,
  SURVEY_LEVELS,
  SURVEY_PERIODS,
  SURVEY_QUESTION_TYPES,
} from '../surveys.js';
import { dateField, nameText, optionalText } from '../validation.js';
import { pageQuery, secrecySchema } from './platform.js';

// Satisfaction surveys API shapes (顾客满意度调查, R-V3). Routes:
//   GET  /api/surveys/templates                       current version of each template
//   GET  /api/surveys/templates/:id                   one version (any, also old ones)
//   POST /api/surveys/templates/:key/versions         a new version becomes current
//   POST /api/surveys/campaigns/preview               how many customers the filters choose
//   GET  /api/surveys/campaigns                       list, newest first (keyset)
//   POST /api/surveys/campaigns                       a draft with its invitations
//   GET  /api/surveys/campaigns/:id                   detail with progress by department
//   POST /api/surveys/campaigns/:id/send              mails the links; answers accepted
//   POST /api/surveys/campaigns/:id/remind            mails those who have not answered again
//   POST /api/surveys/campaigns/:id/close             no more answers
//   GET  /api/surveys/campaigns/:id/invitations       who was asked, sent, answered (keyset)
//   POST /api/surveys/invitations/:id/response        staff type in an answer (phone, paper)
//   GET  /api/surveys/responses/:id                   one answered form
//   GET  /api/surveys/responses/:id/form.pdf          the filled form as PDF
//   GET  /api/customers/:id/surveys                   a customer's answered forms (archive tab)
//   GET  /api/surveys/results                         index by group, distribution, trend
//   GET  /api/surveys/results/summary.xlsx|.csv       顾客满意度调查汇总表
//   GET  /api/surveys/results/appraisal.xlsx|.csv     index per salesperson and department
//   GET  /s/:token, POST /s/:token                    the customer's one-time page (HTML)

const id = z.string().min(1).max(64);
const person = z.object({ id: z.string(), name: z.string() }).nullable();
const levelScores = z.strictObject({
  very_satisfied: z.number().min(0).max(100),
  satisfied: z.number().min(0).max(100),
  average: z.number().min(0).max(100),
  poor: z.number().min(0).max(100),
});

// Templates -----------------------------------------------------------------------------------

export const surveyQuestionBody = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  label: nameText(100),
  type: z.enum(SURVEY_QUESTION_TYPES),
  required: z.boolean(),
});
export const surveyTemplateSchema = z.object({
  id: z.string(),
  key: z.string(),
  version: z.number(),
  name: z.string(),
  description: z.string().nullable(),
  period: z.enum(SURVEY_PERIODS),
  questions: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      type: z.enum(SURVEY_QUESTION_TYPES),
      required: z.boolean(),
    }),
  ),
  levelScores: z.object({
    very_satisfied: z.number(),
    satisfied: z.number(),
    average: z.number(),
    poor: z.number(),
  }),
  current: z.boolean(),
  createdAt: z.string(),
  createdBy: person,
  /** Campaigns that use this version. */
  campaigns: z.number(),
});
export type SurveyTemplate = z.infer<typeof surveyTemplateSchema>;

/** A new version: at least one rating question, keys unique, at most one overall rating. */
export const newTemplateVersionBody = z.strictObject({
  name: nameText(50),
  description: optionalText(500),
  period: z.enum(SURVEY_PERIODS),
  questions: z.array(surveyQuestionBody).min(1).max(30),
  levelScores,
});
export type NewTemplateVersionInput = z.output<typeof newTemplateVersionBody>;

// Campaigns -----------------------------------------------------------------------------------

export const campaignFiltersSchema = z.strictObject({
  /** Customer category codes (lookup list 'category'); empty: all. */
  categories: z.array(z.string().max(64)).max(50).default([]),
  grades: z.array(z.enum(CUSTOMER_GRADES)).max(3).default([]),
  /** Customer kind codes (lookup list 'kind'); empty: all. */
  kinds: z.array(z.string().max(64)).max(50).default([]),
  /** Owning departments (and their sub-departments); empty: all the creator may see. */
  departmentIds: z.array(id).max(50).default([]),
  /** Only customers who bought within the last 12 months (first purchase date; the orders
   * module's deliveries once they exist). */
  boughtLast12Months: z.boolean().default(false),
});
export type CampaignFilters = z.output<typeof campaignFiltersSchema>;

export const campaignPreviewSchema = z.object({
  customers: z.number(),
  /** Of those, how many have a contact with an e-mail address (the others by phone). */
  withEmail: z.number(),
});

export const createCampaignBody = z.strictObject({
  name: nameText(100),
  templateId: id,
  periodLabel: z.string().regex(/^\d{4}(-Q[1-4]|-\d{2})?$/),
  closesOn: dateField({ zh: '截止日期', en: 'Closing date' }),
  remindAfterDays: z.number().int().min(0).max(60).default(7),
  lowIndex: z.number().min(0).max(100).default(60),
  intro: optionalText(1000),
  filters: campaignFiltersSchema,
});
export type CreateCampaignInput = z.output<typeof createCampaignBody>;

const progress = z.object({
  invited: z.number(),
  /** Invitations whose mail went out. */
  sent: z.number(),
  answered: z.number(),
});
export const surveyCampaignSchema = z.object({
  id: z.string(),
  number: z.string(),
  name: z.string(),
  template: z.object({ id: z.string(), key: z.string(), name: z.string(), version: z.number() }),
  status: z.enum(SURVEY_CAMPAIGN_STATUSES),
  filters: campaignFiltersSchema,
  periodLabel: z.string(),
  closesOn: z.string(),
  remindAfterDays: z.number(),
  lowIndex: z.number(),
  intro: z.string().nullable(),
  createdAt: z.string(),
  createdBy: person,
  sentAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  progress,
  /** Index of the answered forms the reader may see. */
  index: z.number().nullable(),
  can: z.object({ send: z.boolean(), remind: z.boolean(), close: z.boolean() }),
});
export type SurveyCampaign = z.infer<typeof surveyCampaignSchema>;

export const surveyCampaignDetailSchema = surveyCampaignSchema.extend({
  byDepartment: z.array(
    progress.extend({ department: z.object({ id: z.string(), name: z.string() }).nullable() }),
  ),
});
export type SurveyCampaignDetail = z.infer<typeof surveyCampaignDetailSchema>;

export const listCampaignsQuery = z.object({
  status: z.enum(SURVEY_CAMPAIGN_STATUSES).optional(),
  ...pageQuery,
});

export const surveyInvitationSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  customer: z.object({ id: z.string(), name: z.string(), code: z.string() }),
  contactName: z.string().nullable(),
  email: z.string().nullable(),
  department: z.object({ id: z.string(), name: z.string() }).nullable(),
  owner: person,
  sentAt: z.string().nullable(),
  reminders: z.number(),
  mailError: z.string().nullable(),
  answeredAt: z.string().nullable(),
  responseId: z.string().nullable(),
  /** The answered form's satisfaction index. */
  index: z.number().nullable(),
  secrecy: secrecySchema,
  /** The reader may type in this customer's answer (its owner, its department's manager, quality). */
  can: z.object({ respond: z.boolean() }),
});
export type SurveyInvitation = z.infer<typeof surveyInvitationSchema>;

export const listInvitationsQuery = z.object({
  state: z.enum(['waiting', 'answered']).optional(),
  ...pageQuery,
});

// Responses -----------------------------------------------------------------------------------

export const surveyAnswerBody = z.strictObject({
  key: z.string().max(40),
  level: z.enum(SURVEY_LEVELS).nullish(),
  text: optionalText(2000),
});
export const staffResponseBody = z.strictObject({
  channel: z.enum(['phone', 'paper']),
  contactName: optionalText(100),
  answeredOn: dateField({ zh: '调查日期', en: 'Date answered' }, 'tomorrow'),
  answers: z.array(surveyAnswerBody).max(30),
});
export type StaffResponseInput = z.output<typeof staffResponseBody>;

export const surveyResponseSchema = z.object({
  id: z.string(),
  campaign: z.object({ id: z.string(), number: z.string(), name: z.string(), periodLabel: z.string() }),
  template: z.object({ id: z.string(), name: z.string(), version: z.number() }),
  customer: z.object({ id: z.string(), name: z.string(), code: z.string() }),
  contactName: z.string().nullable(),
  channel: z.enum(SURVEY_CHANNELS),
  enteredBy: person,
  answeredOn: z.string(),
  answeredAt: z.string(),
  index: z.number().nullable(),
  overall: z.enum(SURVEY_LEVELS).nullable(),
  anyPoor: z.boolean(),
  answers: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      type: z.enum(SURVEY_QUESTION_TYPES),
      level: z.enum(SURVEY_LEVELS).nullable(),
      score: z.number().nullable(),
      text: z.string().nullable(),
    }),
  ),
  /** The filled form filed in the customer's archive. */
  document: z.object({ id: z.string(), archiveNo: z.string().nullable() }).nullable(),
  /** The corrective action low satisfaction opened. */
  action: z.object({ id: z.string(), number: z.string(), status: z.string() }).nullable(),
  secrecy: secrecySchema,
});
export type SurveyResponse = z.infer<typeof surveyResponseSchema>;

// Results -------------------------------------------------------------------------------------

export const SURVEY_GROUPS = ['customer', 'category', 'department', 'owner', 'period'] as const;
export const resultsQuery = z.object({
  campaignId: id.optional(),
  /** Answers of campaigns of this period label, e.g. 2026 (prefix match: 2026 takes 2026-Q4). */
  period: z
    .string()
    .regex(/^\d{4}(-Q[1-4]|-\d{2})?$/)
    .optional(),
  templateKey: z.string().max(40).optional(),
  groupBy: z.enum(SURVEY_GROUPS).default('department'),
});
export type ResultsQuery = z.output<typeof resultsQuery>;

export const surveyResultsSchema = z.object({
  responses: z.number(),
  index: z.number().nullable(),
  groups: z.array(
    z.object({
      key: z.string().nullable(),
      label: z.string(),
      responses: z.number(),
      index: z.number().nullable(),
    }),
  ),
  /** Per rating / overall question: how many answered each level. */
  distribution: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      counts: z.object({
        very_satisfied: z.number(),
        satisfied: z.number(),
        average: z.number(),
        poor: z.number(),
      }),
      index: z.number().nullable(),
    }),
  ),
  /** Index of each campaign (of the template key, or all), oldest first. */
  trend: z.array(
    z.object({
      campaignId: z.string(),
      number: z.string(),
      name: z.string(),
      periodLabel: z.string(),
      responses: z.number(),
      index: z.number().nullable(),
    }),
  ),
});
export type SurveyResults = z.infer<typeof surveyResultsSchema>;

// The public page -----------------------------------------------------------------------------

/** The customer's form fields as posted by the page (application/x-www-form-urlencoded):
 * `q_<key>` holds a level or the text; `contact` the name of who answered. */
export const publicAnswerBody = z.record(z.string().max(50), z.string().max(2000));
