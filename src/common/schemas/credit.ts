import { z } from 'zod';
import {
  CLASS_REASONS,
  CREDIT_APPROVERS,
  CREDIT_LEVELS,
  CREDIT_REQUEST_KINDS,
  CREDIT_REQUEST_STATUSES,
  INVESTIGATION_KINDS,
  INVESTIGATION_SOURCES,
} from '../credit.js';
import { CREDIT_CLASSES } from '../customers.js';
import { dateField, nameText, optionalText, trimmedText } from '../validation.js';

// Credit management and admission API shapes (R-A4, seed 004). Routes:
//   GET   /api/credit/config, PUT …                     warning share, GM amount, open orders, criteria
//   GET   /api/credit/register[.xlsx|.csv]              customers with limit, exposure, share, class
//   GET   /api/credit/todo                              approvals waiting for the reader (counts)
//   GET   /api/credit/approvals                         those approvals, listed
//   GET   /api/customers/:id/credit                     the customer's credit card
//   POST  /api/customers/:id/credit/balances            a dated balance (赊销款, 未结算票据)
//   POST  /api/credit/balances/import?dryRun=           balances from .xlsx/.csv (GBK too)
//   POST  /api/customers/:id/credit/investigations      a 信用调查 (files: …/investigations/:iid/files)
//   GET   /api/credit/investigations/:iid/report.pdf    客户信用调查表
//   POST  /api/customers/:id/credit/requests            a limit or class, for approval
//   POST  /api/credit/requests/:rid/decision            approve or reject
//   PUT   /api/customers/:id/credit/suspension          暂停供货 on or off
//   POST  /api/customers/:id/credit/admissions          客户准入 with the 客户交易卡
//   POST  /api/credit/admissions/:aid/decision          the sales director approves
//   GET   /api/credit/admissions/:aid/card.pdf          客户交易卡
//   POST  /api/customers/:id/credit/danger-reports      危险客户报告

/** Money: up to 13 digits and two decimals (numeric(18, 2) on both databases). */
export const moneyText = z
  .string()
  .trim()
  .refine((s) => /^\d{1,13}(\.\d{1,2})?$/.test(s), { params: { key: 'amount' } });

const person = z.object({ id: z.string(), name: z.string() }).nullable();

export const creditCriteriaSchema = z.strictObject({
  jiaMinStaff: z.number().int().min(0).max(10_000_000),
  jiaMinYears: z.number().int().min(0).max(100),
  jiaMaxOverdueDays: z.number().int().min(0).max(3650),
  bingMaxStaff: z.number().int().min(0).max(10_000_000),
  bingNewFirmYears: z.number().int().min(0).max(100),
  bingBalance: moneyText,
  bingOverdueDays: z.number().int().min(0).max(3650),
  bingWholesaler: z.boolean(),
  bingPastDefault: z.boolean(),
});

export const creditSettingsSchema = z.object({
  /** The warning at this share of the limit, in per cent (80). */
  warnPercent: z.number(),
  /** A limit above this amount is approved by the general manager. */
  gmAmount: z.string(),
  /** Exposure counts accepted orders not yet delivered. */
  includeOpenOrders: z.boolean(),
  criteria: creditCriteriaSchema,
});
export type CreditSettings = z.infer<typeof creditSettingsSchema>;
export const creditSettingsBody = z
  .strictObject({
    warnPercent: z.number().int().min(1).max(100),
    gmAmount: moneyText,
    includeOpenOrders: z.boolean(),
    criteria: creditCriteriaSchema,
  })
  .partial();

export const balanceBody = z.strictObject({
  asOf: dateField({ zh: '余额日期', en: 'The balance date' }, 'tomorrow'),
  receivables: moneyText,
  unsettledBills: moneyText,
  overdueDays: z.number().int().min(0).max(3650).default(0),
  note: optionalText(500),
});
export type BalanceInput = z.infer<typeof balanceBody>;

export const investigationBody = z.strictObject({
  kind: z.enum(INVESTIGATION_KINDS),
  investigatedOn: dateField({ zh: '调查日期', en: 'The investigation date' }, 'tomorrow'),
  sources: z.array(z.enum(INVESTIGATION_SOURCES)).max(INVESTIGATION_SOURCES.length).default([]),
  management: optionalText(2000),
  internal: optionalText(2000),
  funding: optionalText(2000),
  payment: optionalText(2000),
  conclusion: trimmedText(2000),
  foundedOn: dateField({ zh: '成立日期', en: 'The founding date' }, 'tomorrow').nullish(),
  staffCount: z.number().int().min(0).max(10_000_000).nullish(),
  wholesaler: z.boolean().nullish(),
  pastDefault: z.boolean().nullish(),
});
export type InvestigationInput = z.infer<typeof investigationBody>;

export const creditRequestBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('limit'), creditLimit: moneyText, reason: trimmedText(1000) }),
  z.strictObject({
    kind: z.literal('class'),
    creditClass: z.enum(CREDIT_CLASSES),
    reason: trimmedText(1000),
  }),
]);
export type CreditRequestInput = z.infer<typeof creditRequestBody>;

export const creditDecisionBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  comment: optionalText(1000),
});

export const suspensionBody = z.strictObject({ suspended: z.boolean(), reason: trimmedText(500) });

export const tradingCardSchema = z.strictObject({
  headquarters: nameText(200),
  tradingSite: nameText(200),
  address: nameText(300),
  website: optionalText(200),
  openedOn: dateField({ zh: '开业时间', en: 'The opening date' }, 'tomorrow'),
  capital: nameText(100),
  staffCount: z.number().int().min(0).max(10_000_000),
  managerCount: z.number().int().min(0).max(1_000_000),
  assets: trimmedText(2000),
  managerAges: trimmedText(500),
});
export const admissionBody = z.strictObject({
  card: tradingCardSchema,
  paymentTerms: trimmedText(500),
  conditions: optionalText(1000),
  requestedLimit: moneyText,
});
export type AdmissionInput = z.infer<typeof admissionBody>;

export const dangerReportBody = z.strictObject({
  reportedOn: dateField({ zh: '报告日期', en: 'The report date' }, 'tomorrow'),
  cause: nameText(200),
  details: trimmedText(4000),
  measures: optionalText(2000),
  /** Suspend deliveries with the report (暂停供货). */
  suspend: z.boolean().default(false),
});

const proposalSchema = z.object({
  proposed: z.enum(CREDIT_CLASSES),
  reasons: z.array(z.enum(CLASS_REASONS)),
});

/** Where a request or an admission stands, and whether the reader may decide it. */
const decision = {
  status: z.enum(CREDIT_REQUEST_STATUSES),
  requestedBy: person,
  requestedAt: z.string(),
  decidedBy: person,
  decidedAt: z.string().nullable(),
  comment: z.string().nullable(),
  canDecide: z.boolean(),
};

export const creditRequestSchema = z.object({
  id: z.string(),
  kind: z.enum(CREDIT_REQUEST_KINDS),
  creditLimit: z.string().nullable(),
  creditClass: z.enum(CREDIT_CLASSES).nullable(),
  proposal: proposalSchema.nullable(),
  reason: z.string(),
  approverRole: z.enum(CREDIT_APPROVERS),
  ...decision,
});

const tradingCardOut = z.object({
  headquarters: z.string(),
  tradingSite: z.string(),
  address: z.string(),
  website: z.string().nullable(),
  openedOn: z.string(),
  capital: z.string(),
  staffCount: z.number(),
  managerCount: z.number(),
  assets: z.string(),
  managerAges: z.string(),
});

export const admissionSchema = z.object({
  id: z.string(),
  card: tradingCardOut,
  paymentTerms: z.string(),
  conditions: z.string().nullable(),
  requestedLimit: z.string().nullable(),
  ...decision,
});

export const creditCardSchema = z.object({
  customer: z.object({ id: z.string(), name: z.string(), archiveCode: z.string() }),
  /** Amounts are shown to this reader (orders' price roles and departments, the archive's owners). */
  amountsVisible: z.boolean(),
  creditLimit: z.string().nullable(),
  receivables: z.string().nullable(),
  unsettledBills: z.string().nullable(),
  openOrders: z.string().nullable(),
  exposure: z.string().nullable(),
  balanceAsOf: z.string().nullable(),
  overdueDays: z.number().nullable(),
  /** Exposure ÷ limit in per cent (one decimal), null without a limit. */
  share: z.number().nullable(),
  level: z.enum(CREDIT_LEVELS),
  warnPercent: z.number(),
  creditClass: z.enum(CREDIT_CLASSES).nullable(),
  proposal: proposalSchema,
  suspended: z.object({ at: z.string().nullable(), by: person, reason: z.string().nullable() }).nullable(),
  balances: z.array(
    z.object({
      id: z.string(),
      asOf: z.string(),
      receivables: z.string().nullable(),
      unsettledBills: z.string().nullable(),
      overdueDays: z.number(),
      source: z.string(),
      note: z.string().nullable(),
      createdBy: person,
      createdAt: z.string(),
    }),
  ),
  investigations: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(INVESTIGATION_KINDS),
      investigatedOn: z.string(),
      sources: z.array(z.enum(INVESTIGATION_SOURCES)),
      management: z.string().nullable(),
      internal: z.string().nullable(),
      funding: z.string().nullable(),
      payment: z.string().nullable(),
      conclusion: z.string(),
      foundedOn: z.string().nullable(),
      staffCount: z.number().nullable(),
      wholesaler: z.boolean().nullable(),
      pastDefault: z.boolean().nullable(),
      files: z.array(z.object({ id: z.string(), name: z.string(), size: z.number() })),
      createdBy: person,
      createdAt: z.string(),
    }),
  ),
  requests: z.array(creditRequestSchema),
  admissions: z.array(admissionSchema),
  dangerReports: z.array(
    z.object({
      id: z.string(),
      reportedOn: z.string(),
      cause: z.string(),
      details: z.string(),
      measures: z.string().nullable(),
      createdBy: person,
    }),
  ),
  classHistory: z.array(
    z.object({
      at: z.string(),
      actorName: z.string().nullable(),
      from: z.string().nullable(),
      to: z.string().nullable(),
      note: z.string().nullable(),
    }),
  ),
  can: z.object({
    balance: z.boolean(),
    investigate: z.boolean(),
    request: z.boolean(),
    suspend: z.boolean(),
    resume: z.boolean(),
    admit: z.boolean(),
    danger: z.boolean(),
  }),
});
export type CreditCard = z.infer<typeof creditCardSchema>;

export const CREDIT_REGISTER_FILTERS = ['all', 'limited', 'near', 'over', 'at_risk', 'suspended'] as const;
export const creditRegisterQuery = z.object({
  filter: z.enum(CREDIT_REGISTER_FILTERS).default('limited'),
  q: z.string().trim().max(100).optional(),
  creditClass: z.enum(CREDIT_CLASSES).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type CreditRegisterQuery = z.infer<typeof creditRegisterQuery>;
export const exportCreditRegisterQuery = creditRegisterQuery.omit({ offset: true, limit: true });

export const creditRegisterRowSchema = z.object({
  customerId: z.string(),
  name: z.string(),
  archiveCode: z.string(),
  creditClass: z.enum(CREDIT_CLASSES).nullable(),
  creditLimit: z.string().nullable(),
  exposure: z.string().nullable(),
  share: z.number().nullable(),
  level: z.enum(CREDIT_LEVELS),
  suspended: z.boolean(),
  balanceAsOf: z.string().nullable(),
});
export type CreditRegisterRow = z.infer<typeof creditRegisterRowSchema>;
export const creditRegisterSchema = z.object({
  total: z.number(),
  amountsVisible: z.boolean(),
  items: z.array(creditRegisterRowSchema),
});

export const creditTodoSchema = z.object({
  limitRequests: z.number(),
  classRequests: z.number(),
  admissions: z.number(),
});

export const creditApprovalsSchema = z.object({
  items: z.array(
    z.object({
      type: z.enum(['limit', 'class', 'admission']),
      id: z.string(),
      customer: z.object({ id: z.string(), name: z.string(), archiveCode: z.string() }),
      summary: z.string(),
      requestedBy: person,
      requestedAt: z.string(),
    }),
  ),
});

export const balanceImportResult = z.object({
  dryRun: z.boolean(),
  rows: z.number(),
  imported: z.number(),
  errors: z.array(z.object({ row: z.number(), message: z.string() })),
});
