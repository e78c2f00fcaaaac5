import { DEFAULT_AMENDMENT_DEPARTMENTS } from '../../../common/order-amendments.js';
import { DEFAULT_ORDER_CHECKLIST } from '../../../common/orders.js';
import type { OrderSettings } from '../../../common/schemas/orders.js';
import type { Db } from '../../db/index.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Ctx, tx } from '../../platform/context.js';
import { DomainError, FieldErrors, type FieldProblem } from '../../platform/errors.js';
import { authorize } from '../../platform/policy/index.js';
import { readSettings, writeSettings } from '../../platform/settings.js';

// Order settings (`orders.*`): the standard lead time in working days (R-K1 lead time at risk),
// the departments each route asks by department code (R-K2 PMC, purchasing, production; R-K3
// every department concerned), finance's code (it prices new products), who sees prices, and the
// review checklist of seed 003 (a–i). Departments are named by code so that a deployment maps
// them to its own organisation; a code no active department carries stops a submission (409)
// rather than skipping a reviewer.

const PREFIX = 'orders.';
export const DEFAULT_ORDER_SETTINGS: OrderSettings = {
  leadTimeDays: 15,
  capacityDepartments: ['pmc', 'purchasing', 'production'],
  reviewDepartments: ['pmc', 'purchasing', 'production', 'finance', 'rd', 'quality'],
  financeDepartment: 'finance',
  // The managers and the general managers, finance by department; a salesperson sees the prices
  // of the orders they registered or whose archive they keep (access.ts seesPrices).
  priceRoles: ['department_manager', 'general_manager', 'deputy_general_manager'],
  priceDepartments: ['finance'],
  checklist: DEFAULT_ORDER_CHECKLIST,
  rdDepartment: 'rd',
  // Contract review records are kept the part's life + 1 year (R-X1): filed as L1 whatever the
  // category's own period; 'records' (内部文件与记录) is there in every deployment.
  recordArchiveCategory: 'records',
  // Who reviews an amendment, per category of the fields it changes (R-K4, amendments.ts).
  amendmentDepartments: DEFAULT_AMENDMENT_DEPARTMENTS,
  // R-K5: a line is on time when complete by its date; a date on a holiday stays as promised.
  onTimeBasis: 'line',
  holidayRule: 'as_promised',
  // The weekly summary of delayed orders: the production deputy (副总经理) by role.
  delaySummaryRoles: ['deputy_general_manager'],
  delaySummaryUsers: [],
};

export async function loadOrderSettings(db: Db): Promise<OrderSettings> {
  return readSettings(db, PREFIX, DEFAULT_ORDER_SETTINGS);
}

export async function getOrderSettings(ctx: Ctx): Promise<OrderSettings> {
  authorize(ctx, 'order_config.read');
  return loadOrderSettings(ctx.db);
}

export async function putOrderSettings(ctx: Ctx, input: Partial<OrderSettings>): Promise<OrderSettings> {
  authorize(ctx, 'order.configure', { type: 'order_config' });
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const [i, item] of (input.checklist ?? []).entries()) {
    if (seen.has(item.code))
      problems.push({ field: `checklist.${i}.code`, key: 'duplicate', params: { value: item.code } });
    seen.add(item.code);
  }
  if (problems.length) throw new FieldErrors(problems);
  return tx(ctx, async (t) => {
    if (input.recordArchiveCategory) {
      const category = await t.db
        .selectFrom('document_categories')
        .select('code')
        .where('code', '=', input.recordArchiveCategory)
        .where('active', '=', 1)
        .executeTakeFirst();
      if (!category)
        throw new DomainError(
          'order_record_category',
          422,
          { category: input.recordArchiveCategory },
          'recordArchiveCategory',
        );
    }
    const before = await loadOrderSettings(t.db);
    await writeSettings(t, PREFIX, input);
    const after = await loadOrderSettings(t.db);
    await appendAudit(t, {
      action: 'order_config.settings',
      targetType: 'order_config',
      details: { before, after },
    });
    return after;
  });
}
