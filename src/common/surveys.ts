import type { Label } from './enums.js';

// Satisfaction surveys (顾客满意度调查, R-V3): templates of questions answered on four levels
// (004 客户管理制度 第十七条: 非常满意 / 满意 / 一般 / 较差), campaigns that send them to customers
// (001 篇五: a full survey at least once a year; 004: 顾客意见征询表 quarterly), and how an
// answered form is scored. Shared by the server (which scores what is stored) and the web app
// (which shows the same numbers while a form is being filled in).

export const SURVEY_LEVELS = ['very_satisfied', 'satisfied', 'average', 'poor'] as const;
export type SurveyLevel = (typeof SURVEY_LEVELS)[number];
export const SURVEY_LEVEL_LABELS: Record<SurveyLevel, Label> = {
  very_satisfied: { zh: '非常满意', en: 'Very satisfied' },
  satisfied: { zh: '满意', en: 'Satisfied' },
  average: { zh: '一般', en: 'Average' },
  poor: { zh: '较差', en: 'Poor' },
};
/** Default score of each level; a template may set its own. */
export const DEFAULT_LEVEL_SCORES: Record<SurveyLevel, number> = {
  very_satisfied: 100,
  satisfied: 80,
  average: 60,
  poor: 0,
};

/**
 * rating: one of the four levels, counted in the index; overall: the customer's overall
 * rating (总体评价), four levels, shown on its own and not counted in the index (it would count
 * the same opinion twice); text: free text (意见与建议).
 */
export const SURVEY_QUESTION_TYPES = ['rating', 'overall', 'text'] as const;
export type SurveyQuestionType = (typeof SURVEY_QUESTION_TYPES)[number];
export const SURVEY_QUESTION_TYPE_LABELS: Record<SurveyQuestionType, Label> = {
  rating: { zh: '评分题', en: 'Rating' },
  overall: { zh: '总体评价', en: 'Overall rating' },
  text: { zh: '文字题', en: 'Free text' },
};

export interface SurveyQuestion {
  /** Stable within a template's versions, e.g. `attitude`. */
  key: string;
  label: string;
  type: SurveyQuestionType;
  required: boolean;
}

export const SURVEY_PERIODS = ['yearly', 'quarterly', 'once'] as const;
export type SurveyPeriod = (typeof SURVEY_PERIODS)[number];
export const SURVEY_PERIOD_LABELS: Record<SurveyPeriod, Label> = {
  yearly: { zh: '每年', en: 'Yearly' },
  quarterly: { zh: '每季度', en: 'Quarterly' },
  once: { zh: '不定期', en: 'As needed' },
};

export interface SurveyTemplateDefault {
  key: string;
  name: string;
  description: string;
  period: SurveyPeriod;
  questions: SurveyQuestion[];
}

/** The two forms the seeds name; created as version 1 on first use, editable as new versions. */
export const DEFAULT_SURVEY_TEMPLATES: SurveyTemplateDefault[] = [
  {
    key: 'satisfaction',
    name: '顾客满意度调查表',
    description: '每年至少一次全面调查：服务态度、技术水平、到达及时性、承诺事项办理。',
    period: 'yearly',
    questions: [
      { key: 'attitude', label: '服务态度', type: 'rating', required: true },
      { key: 'skill', label: '技术水平', type: 'rating', required: true },
      { key: 'timeliness', label: '到达及时性', type: 'rating', required: true },
      { key: 'promises', label: '承诺事项办理', type: 'rating', required: true },
      { key: 'overall', label: '总体评价', type: 'overall', required: true },
      { key: 'suggestions', label: '意见与建议', type: 'text', required: false },
    ],
  },
  {
    key: 'opinion',
    name: '顾客意见征询表',
    description: '每季度征询顾客对产品质量、交付和服务的意见。',
    period: 'quarterly',
    questions: [
      { key: 'quality', label: '产品质量', type: 'rating', required: true },
      { key: 'delivery', label: '交付及时性', type: 'rating', required: true },
      { key: 'service', label: '服务', type: 'rating', required: true },
      { key: 'overall', label: '总体评价', type: 'overall', required: true },
      { key: 'opinion', label: '意见与建议', type: 'text', required: false },
    ],
  },
];

/** Campaign states: prepared, sent (answers accepted), closed (no more answers). */
export const SURVEY_CAMPAIGN_STATUSES = ['draft', 'running', 'closed'] as const;
export type SurveyCampaignStatus = (typeof SURVEY_CAMPAIGN_STATUSES)[number];
export const SURVEY_CAMPAIGN_STATUS_LABELS: Record<SurveyCampaignStatus, Label> = {
  draft: { zh: '准备中', en: 'Draft' },
  running: { zh: '进行中', en: 'Running' },
  closed: { zh: '已结束', en: 'Closed' },
};

/** How an answer reached Kedang: the customer's one-time link, or staff typing it in. */
export const SURVEY_CHANNELS = ['link', 'phone', 'paper'] as const;
export type SurveyChannel = (typeof SURVEY_CHANNELS)[number];
export const SURVEY_CHANNEL_LABELS: Record<SurveyChannel, Label> = {
  link: { zh: '客户在线填写', en: 'Answered online' },
  phone: { zh: '电话调查', en: 'By phone' },
  paper: { zh: '纸质表录入', en: 'Paper form' },
};

/** Default index below which an answered form opens a corrective action (besides any 较差). */
export const DEFAULT_LOW_INDEX = 60;

export interface SurveyAnswerInput {
  key: string;
  level?: SurveyLevel | null;
  text?: string | null;
}

export interface ScoredAnswer {
  key: string;
  type: SurveyQuestionType;
  level: SurveyLevel | null;
  score: number | null;
  text: string | null;
}

export interface ScoredResponse {
  answers: ScoredAnswer[];
  /** Mean score of the answered rating questions, rounded to 0.1; null when none answered. */
  index: number | null;
  overall: SurveyLevel | null;
  /** Some answer is 较差 (rating or overall). */
  anyPoor: boolean;
}

/**
 * Scores one filled form against its template version. Throws a list of field problems
 * (question key → message) when an answer is missing, unknown or of the wrong kind.
 */
export function scoreResponse(
  questions: readonly SurveyQuestion[],
  scores: Record<SurveyLevel, number>,
  input: readonly SurveyAnswerInput[],
): { ok: true; value: ScoredResponse } | { ok: false; errors: { key: string; message: string }[] } {
  const errors: { key: string; message: string }[] = [];
  const given = new Map<string, SurveyAnswerInput>();
  for (const a of input) {
    if (given.has(a.key)) errors.push({ key: a.key, message: '重复的答案' });
    given.set(a.key, a);
  }
  const known = new Set(questions.map((q) => q.key));
  for (const key of given.keys()) if (!known.has(key)) errors.push({ key, message: '问卷中没有此题' });
  const answers: ScoredAnswer[] = [];
  for (const q of questions) {
    const a = given.get(q.key);
    if (q.type === 'text') {
      const text = a?.text?.trim() || null;
      if (a?.level) errors.push({ key: q.key, message: '此题填写文字，不选等级' });
      if (q.required && !text) errors.push({ key: q.key, message: '此题为必填' });
      answers.push({ key: q.key, type: q.type, level: null, score: null, text });
    } else {
      const level = a?.level ?? null;
      if (a?.text?.trim()) errors.push({ key: q.key, message: '此题选择等级，不填文字' });
      if (q.required && !level) errors.push({ key: q.key, message: '请选择满意程度' });
      answers.push({ key: q.key, type: q.type, level, score: level ? scores[level] : null, text: null });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const rated = answers.filter((a) => a.type === 'rating' && a.score !== null);
  const index =
    rated.length === 0
      ? null
      : Math.round((rated.reduce((s, a) => s + (a.score as number), 0) / rated.length) * 10) / 10;
  return {
    ok: true,
    value: {
      answers,
      index,
      overall: answers.find((a) => a.type === 'overall')?.level ?? null,
      anyPoor: answers.some((a) => a.level === 'poor'),
    },
  };
}

/**
 * Index of a group (a customer, department, salesperson, campaign): the mean of its answered
 * forms' indexes, each form counting once, rounded to 0.1.
 */
export function groupIndex(indexes: readonly (number | null)[]): number | null {
  const xs = indexes.filter((x): x is number => x !== null);
  if (xs.length === 0) return null;
  return Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 10) / 10;
}
