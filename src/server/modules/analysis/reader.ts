import { sql } from 'kysely';
import type { AnalysisSettings } from '../../../common/schemas/analysis.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy/index.js';
import { type ActorScope, actorScope, customerVisible } from '../../platform/policy/records.js';
import { seesAllPrices } from '../orders/access.js';
import { loadOrderSettings } from '../orders/config.js';
import { loadAnalysisSettings } from './config.js';

// Who reads the analysis: sales figures are visible where the customer archive is (R-P2, the
// predicate `customerVisible` on `c` in every query, so totals are sums of what the reader may
// see), and amounts only to those who see prices (the orders settings); the others see shares.

export interface AnalysisReader {
  ctx: Ctx & { actor: Actor };
  scope: ActorScope;
  settings: AnalysisSettings;
  pricesVisible: boolean;
}

export async function analysisReader(ctx: Ctx): Promise<AnalysisReader> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 401);
  authorize(ctx, 'analysis.read');
  const c = ctx as Ctx & { actor: Actor };
  const [scope, settings, orderSettings] = await Promise.all([
    actorScope(c),
    loadAnalysisSettings(c.db),
    loadOrderSettings(c.db),
  ]);
  return { ctx: c, scope, settings, pricesVisible: await seesAllPrices(c, orderSettings) };
}

/** SQL on `customers as c`: the reader sees the archive. */
export function visibleCustomer(r: AnalysisReader) {
  return customerVisible(r.ctx.actor, r.scope, r.ctx.now());
}

/** The archives analysed: those that are or are being filed (not inactive or merged). */
export const ANALYSED_STATUSES = ['draft', 'filed'] as const;

/**
 * The sales of a period as rows `f` (customer_id, month, product_code, product_name, quantity,
 * amount, margin), from the source the settings name: the imported ledgers, or the deliveries of
 * accepted orders valued at the line's unit price (no margin). Callers join `customers as c` on
 * `f.customer_id` and apply `visibleCustomer`. Neither database materialises the derived table:
 * both read it through the period index of its source.
 */
export function salesFacts(r: AnalysisReader, from: string, to: string) {
  const db = r.ctx.db;
  if (r.settings.salesSource === 'deliveries') {
    const month = sql<string>`substr(d.delivered_on, 1, 7)`;
    return db
      .selectFrom('order_deliveries as d')
      .innerJoin('order_lines as l', 'l.id', 'd.line_id')
      .innerJoin('orders as o', 'o.id', 'd.order_id')
      .where('d.delivered_on', '>=', `${from}-01`)
      .where('d.delivered_on', '<=', `${to}-31`)
      .where('l.unit_price', 'is not', null)
      .select([
        'o.customer_id as customer_id',
        month.as('month'),
        'l.part_number as product_code',
        'l.product as product_name',
        sql<string>`d.quantity`.as('quantity'),
        sql<string>`round(d.quantity * l.unit_price, 2)`.as('amount'),
        sql<string | null>`null`.as('margin'),
      ])
      .as('f');
  }
  return db
    .selectFrom('sales_records as s')
    .where('s.month', '>=', from)
    .where('s.month', '<=', to)
    .select([
      's.customer_id as customer_id',
      's.month as month',
      's.product_code as product_code',
      's.product_name as product_name',
      sql<string>`s.quantity`.as('quantity'),
      sql<string>`s.amount`.as('amount'),
      sql<string | null>`s.gross_margin`.as('margin'),
    ])
    .as('f');
}

/** A period of whole months, from before to, at most `maxMonths` long. */
export function checkPeriod(from: string, to: string, maxMonths = 120): void {
  const n = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
  if (n(to) < n(from)) throw new DomainError('analysis_period', 422, { months: maxMonths }, 'to');
  if (n(to) - n(from) + 1 > maxMonths)
    throw new DomainError('analysis_period', 422, { months: maxMonths }, 'to');
}
