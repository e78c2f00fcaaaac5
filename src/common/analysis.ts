import type { Label } from './enums.js';

// Customer analysis (客户分析, R-A1 … R-A3, R-A5) enumerations shared by server and web.

/** Where sales come from: the imported ledgers of an ERP, or the deliveries of accepted orders
 * (quantity delivered × the line's unit price). */
export const SALES_SOURCES = ['ledger', 'deliveries'] as const;
export type SalesSource = (typeof SALES_SOURCES)[number];
export const SALES_SOURCE_LABELS: Record<SalesSource, Label> = {
  ledger: { zh: '导入的销售台账', en: 'Imported sales ledgers' },
  deliveries: { zh: '订单交付（交付数量 × 单价）', en: 'Order deliveries (quantity × unit price)' },
};

/** R-A1: the grade of a customer whose sales straddle a boundary (75 % or 95 %). */
export const ABC_STRADDLE = ['upper', 'lower'] as const;
export type AbcStraddle = (typeof ABC_STRADDLE)[number];
export const ABC_STRADDLE_LABELS: Record<AbcStraddle, Label> = {
  upper: {
    zh: '跨界客户归上一级（累计占比开始于界限以内即为 A）',
    en: 'A straddling customer takes the grade above (A while the cumulative share starts below the boundary)',
  },
  lower: {
    zh: '跨界客户归下一级（累计占比不超过界限才为 A）',
    en: 'A straddling customer takes the grade below (A only while the cumulative share ends within the boundary)',
  },
};

/** R-A2: what sales are broken down by. */
export const COMPOSITION_DIMENSIONS = ['category', 'product', 'region', 'salesperson', 'customer'] as const;
export type CompositionDimension = (typeof COMPOSITION_DIMENSIONS)[number];
export const COMPOSITION_DIMENSION_LABELS: Record<CompositionDimension, Label> = {
  category: { zh: '客户类别', en: 'Customer category' },
  product: { zh: '产品', en: 'Product' },
  region: { zh: '地区', en: 'Region' },
  salesperson: { zh: '业务员', en: 'Salesperson' },
  customer: { zh: '客户', en: 'Customer' },
};

/** Sales imports: the sales ledger or stock levels. */
export const SALES_IMPORT_KINDS = ['sales', 'stock'] as const;
export type SalesImportKind = (typeof SALES_IMPORT_KINDS)[number];
export const SALES_IMPORT_KIND_LABELS: Record<SalesImportKind, Label> = {
  sales: { zh: '销售台账', en: 'Sales ledger' },
  stock: { zh: '库存', en: 'Stock levels' },
};

/** A month as YYYY-MM. */
export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The months from..to inclusive (YYYY-MM). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}
