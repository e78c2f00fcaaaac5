import { CASE_STATUSES } from '../../../common/cases.js';
import { CUSTOMER_GRADES } from '../../../common/customers.js';
import { DASHBOARD_ITEM_LABELS } from '../../../common/dashboard.js';
import type { DashboardBlock, DashboardItem } from '../../../common/schemas/dashboard.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { can } from '../../platform/policy/index.js';
import { countActions } from '../actions/service.js';
import { salesByGrade as gradeSales } from '../analysis/summary.js';
import { countCases } from '../cases/service.js';
import { listRegister } from '../credit/register.js';
import { loadLookups } from '../customers/config.js';
import * as customers from '../customers/service.js';
import { countEnded } from '../documents/secrecy.js';
import * as documents from '../documents/service.js';
import { countLoans } from '../lending/loans.js';
import { countDelayed } from '../orders/delayed.js';
import { deliveryTotal } from '../orders/performance.js';
import { countDue } from '../retention/due.js';
import { ackTodo } from '../special-requirements/distributions.js';
import { periodIndex } from '../surveys/results.js';
import { countVisits } from '../visits/service.js';

// The dashboard's building blocks. Each one counts through the service functions of the module
// that owns the records — the same query builders as that module's list, with its visibility
// predicate, so a figure never includes what the list would not show — and names, for every
// figure or chart element, the list address with the filter that selects exactly those records.

export interface DashCtx {
  ctx: Ctx & { actor: Actor };
  today: string;
}

export interface BlockDef {
  key: string;
  kind: DashboardBlock['kind'];
  unit?: DashboardBlock['unit'];
  tone?: DashboardBlock['tone'];
  /** The key for this reader, when it depends on who reads (a manager's 'my' blocks are his
   * department's). */
  keyFor?: (d: DashCtx) => string;
  /** The items, or null when the reader may not see this source at all (the block is left out). */
  items: (d: DashCtx) => Promise<DashboardItem[] | null>;
}

const label = (d: DashCtx, key: string) => DASHBOARD_ITEM_LABELS[key]?.[d.ctx.lang] ?? key;
const item = (d: DashCtx, key: string, value: number | null, to: string): DashboardItem => ({
  key,
  label: label(d, key),
  value,
  to,
});
const link = (path: string, query: Record<string, string | undefined>) => {
  const q = new URLSearchParams(
    Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined),
  ).toString();
  return q ? `${path}?${q}` : path;
};

/** Whose archives a 'mine' block counts: the reader's own — but a department manager (the sales
 * director) leads the department, so his are all the archives he sees. */
function ownerFor(d: DashCtx, scope: 'mine' | 'all'): string | undefined {
  return scope === 'mine' && !d.ctx.actor.roles.includes('department_manager') ? d.ctx.actor.id : undefined;
}

/** The block's key: the 'my…' one when it counts the reader's own archives. */
const keyFor = (mine: string, all: string) => (d: DashCtx, scope: 'mine' | 'all') =>
  ownerFor(d, scope) ? mine : all;

/** Customer archives by grade A/B/C/none: the reader's own (mine) or all they may see. */
export function customersByGrade(scope: 'mine' | 'all'): BlockDef {
  return {
    key: scope === 'mine' ? 'myCustomersByGrade' : 'customersByGrade',
    keyFor: (d) => keyFor('myCustomersByGrade', 'customersByGrade')(d, scope),
    kind: 'pie',
    items: async (d) => {
      const ownerId = ownerFor(d, scope);
      const r = await customers.reader(d.ctx);
      const rows = await customers
        .filteredCustomers(r, { ownerId })
        .select(['c.grade as grade', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('c.grade')
        .execute();
      const n = new Map(rows.map((x) => [x.grade ?? 'none', Number(x.n)]));
      return [...CUSTOMER_GRADES, 'none' as const].map((g) =>
        item(d, g, n.get(g) ?? 0, link('/customers', { ownerId, grade: g })),
      );
    },
  };
}

/** Shares of the last twelve whole months' sales by the archives' grade (R-A1), each slice
 * opening the archives of that grade: whether the A customers still carry the sales. */
export function salesByGrade(scope: 'mine' | 'all'): BlockDef {
  return {
    key: scope === 'mine' ? 'mySalesByGrade' : 'salesByGrade',
    keyFor: (d) => keyFor('mySalesByGrade', 'salesByGrade')(d, scope),
    kind: 'pie',
    unit: 'percent',
    items: async (d) => {
      const ownerId = ownerFor(d, scope);
      const month = (back: number) => {
        const [y, m] = d.today.split('-').map(Number) as [number, number];
        const at = new Date(Date.UTC(y, m - 1 - back, 1));
        return `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
      };
      const sums = await gradeSales(d.ctx, { from: month(12), to: month(1), ownerId });
      const total = [...sums.values()].reduce((s, v) => (v > 0n ? s + v : s), 0n);
      if (total === 0n) return [];
      return [...CUSTOMER_GRADES, 'none' as const].map((g) => {
        const cents = sums.get(g === 'none' ? '' : g) ?? 0n;
        // Per cent, two decimals, half up.
        const share = cents > 0n ? Number((cents * 20_000n + total) / (2n * total)) / 100 : 0;
        return item(d, g, share, link('/customers', { ownerId, grade: g }));
      });
    },
  };
}

/** Customers whose credit exposure nears (at the warning share, 80 % by default) or passes their
 * limit (R-A4), among those the reader sees; each figure opens the credit register so filtered. */
export const creditWarnings: BlockDef = {
  key: 'creditWarnings',
  kind: 'number',
  tone: 'danger',
  items: async (d) => {
    const out: DashboardItem[] = [];
    for (const filter of ['near', 'over'] as const) {
      const { total } = await listRegister(d.ctx, { filter, offset: 0, limit: 1 });
      out.push(item(d, filter === 'near' ? 'creditNear' : 'creditOver', total, link('/credit', { filter })));
    }
    return out;
  },
};

/** Customer archives by category (the configured lookup list), largest first. */
export function customersByCategory(scope: 'mine' | 'all'): BlockDef {
  return {
    key: scope === 'mine' ? 'myCustomersByCategory' : 'customersByCategory',
    keyFor: (d) => keyFor('myCustomersByCategory', 'customersByCategory')(d, scope),
    kind: 'bar',
    items: async (d) => {
      const ownerId = ownerFor(d, scope);
      const r = await customers.reader(d.ctx);
      // Grouped by code alone (an index-only count); the labels come from the lookup list.
      const [rows, lookups] = await Promise.all([
        customers
          .filteredCustomers(r, { ownerId })
          .where('c.category', 'is not', null)
          .select(['c.category as code', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy('c.category')
          .execute(),
        loadLookups(d.ctx.db),
      ]);
      const name = (code: string) => {
        const l = lookups.find((x) => x.list === 'category' && x.code === code);
        return l ? (d.ctx.lang === 'en' ? (l.labelEn ?? l.label) : l.label) : code;
      };
      return rows
        .map((x) => ({
          key: String(x.code),
          label: name(String(x.code)),
          value: Number(x.n),
          to: link('/customers', { ownerId, category: String(x.code) }),
        }))
        .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label, 'zh-CN'));
    },
  };
}

/** Archives still in draft past their filing date (R-C5). */
export function filingsOverdue(scope: 'mine' | 'all'): BlockDef {
  return {
    key: scope === 'mine' ? 'myFilings' : 'filings',
    keyFor: (d) => keyFor('myFilings', 'filings')(d, scope),
    kind: 'number',
    tone: 'danger',
    items: async (d) => {
      const ownerId = ownerFor(d, scope);
      const value = await customers.countCustomers(d.ctx, { ownerId, overdue: 'true' });
      return [item(d, 'filingOverdue', value, link('/customers', { ownerId, overdue: 'true' }))];
    },
  };
}

/** Open follow-up visits due today and overdue: assigned to me, or all the reader may see. */
export function visits(scope: 'mine' | 'all'): BlockDef {
  return {
    key: scope === 'mine' ? 'myVisits' : 'visits',
    kind: 'number',
    tone: 'warning',
    items: async (d) => {
      const view = scope === 'mine' ? 'mine' : 'all';
      const out: DashboardItem[] = [];
      for (const due of ['today', 'overdue'] as const)
        out.push(
          item(
            d,
            due === 'today' ? 'dueToday' : 'overdue',
            await countVisits(d.ctx, { view, due }),
            link('/visits', { view, due }),
          ),
        );
      return out;
    },
  };
}

/** Open complaints by status (every case the reader may see). */
export const complaintsByStatus: BlockDef = {
  key: 'complaintsByStatus',
  kind: 'bar',
  items: async (d) => {
    const counts = await countCases(d.ctx, { kind: 'complaint' });
    return CASE_STATUSES.filter((s) => s !== 'closed').map((s) =>
      item(d, s, counts[s], link('/cases', { kind: 'complaint', status: s })),
    );
  },
};

/** Complaints with a clock past due (R-Q3): the list's 超时 view. */
export const complaintsLate: BlockDef = {
  key: 'complaintsLate',
  kind: 'number',
  tone: 'danger',
  items: async (d) => {
    const counts = await countCases(d.ctx, { kind: 'complaint', view: 'breached' });
    const value = Object.values(counts).reduce((s, n) => s + n, 0);
    return [item(d, 'late', value, link('/cases', { kind: 'complaint', view: 'breached' }))];
  },
};

/** Delayed order lines (掉期, R-K5) and this month's on-time delivery rate. */
export const orders: BlockDef = {
  key: 'orders',
  kind: 'number',
  tone: 'danger',
  items: async (d) => {
    const from = `${d.today.slice(0, 7)}-01`;
    const total = await deliveryTotal(d.ctx, { from, to: d.today });
    return [
      item(d, 'delayed', await countDelayed(d.ctx), '/orders/delayed'),
      item(
        d,
        'onTimeRate',
        total.rate === null ? null : Math.round(total.rate * 1000) / 10,
        link('/orders/performance', { from, to: d.today }),
      ),
    ];
  },
};

/** Corrective and preventive actions open and overdue, all the overseer may see. */
export const actions: BlockDef = {
  key: 'actions',
  kind: 'number',
  tone: 'warning',
  items: async (d) => {
    if (!can(d.ctx.actor, 'action.oversee')) return null;
    return [
      item(
        d,
        'open',
        await countActions(d.ctx, { view: 'all', status: 'open' }),
        link('/actions', { view: 'all', status: 'open' }),
      ),
      item(
        d,
        'overdue',
        await countActions(d.ctx, { view: 'all', overdue: 'true' }),
        link('/actions', { view: 'all', overdue: 'true' }),
      ),
    ];
  },
};

/** Special requirements distributed to me and not yet acknowledged (R-S3). */
export const srAcknowledgements: BlockDef = {
  key: 'srAcknowledgements',
  kind: 'number',
  tone: 'warning',
  items: async (d) => [item(d, 'pending', await ackTodo(d.ctx), '/special-requirements/acknowledgements')],
};

/** The satisfaction index of this year's answered forms (R-V3). */
export const satisfaction: BlockDef = {
  key: 'satisfaction',
  kind: 'number',
  unit: 'index',
  items: async (d) => {
    const year = d.today.slice(0, 4);
    // null for a reader who may not read survey results: the block is left out.
    const result = await periodIndex(d.ctx, year);
    return result && [item(d, 'index', result.index, link('/surveys/results', { period: year }))];
  },
};

/** Physical loans out and overdue (the desk's tabs). */
export const lending: BlockDef = {
  key: 'lending',
  kind: 'number',
  tone: 'danger',
  items: async (d) => [
    item(d, 'out', await countLoans(d.ctx, 'out'), '/lending/desk?tab=out'),
    item(d, 'overdue', await countLoans(d.ctx, 'overdue'), '/lending/desk?tab=overdue'),
  ],
};

/** Records due for appraisal (R-X2). */
export const appraisalDue: BlockDef = {
  key: 'appraisalDue',
  kind: 'number',
  tone: 'warning',
  items: async (d) => {
    if (!can(d.ctx.actor, 'retention.due')) return null;
    return [item(d, 'appraisalDue', await countDue(d.ctx, {}), '/retention/due')];
  },
};

/** Records whose secrecy term ended, waiting for the 解密/降密 review (R-P10). */
export const secrecyReviews: BlockDef = {
  key: 'secrecyReviews',
  kind: 'number',
  tone: 'warning',
  items: async (d) => {
    if (!can(d.ctx.actor, 'document.secrecy_review')) return null;
    return [item(d, 'secrecyReviews', await countEnded(d.ctx), '/documents/secrecy-reviews')];
  },
};

const HOLDING_YEARS = 5;

/** Holdings growth: documents by 年度 over the last five years, this one included. */
export const holdings: BlockDef = {
  key: 'holdings',
  kind: 'bar',
  items: async (d) => {
    const last = Number(d.today.slice(0, 4));
    const first = last - HOLDING_YEARS + 1;
    const r = await documents.reader(d.ctx);
    const rows = await documents
      .filteredDocuments(r, {})
      .where('d.record_year', '>=', first)
      .where('d.record_year', '<=', last)
      .select(['d.record_year as year', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('d.record_year')
      .execute();
    const n = new Map(rows.map((x) => [Number(x.year), Number(x.n)]));
    return Array.from({ length: HOLDING_YEARS }, (_, i) => {
      const year = first + i;
      return {
        key: String(year),
        label: String(year),
        value: n.get(year) ?? 0,
        to: link('/documents', { recordYear: String(year) }),
      };
    });
  },
};
