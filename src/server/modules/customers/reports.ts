import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { type Expression, type SqlBool, sql } from 'kysely';
import { CUSTOMER_COLUMNS } from '../../../common/customer-columns.js';
import {
  CREDIT_CLASS_LABELS,
  type CreditClass,
  CUSTOMER_STATUS_LABELS,
  type CustomerStatus,
  FILING_FIELDS,
} from '../../../common/customers.js';
import { SECRECY_LABELS, secrecyFromRank } from '../../../common/enums.js';
import type { CustomerFilter, CustomerListItem } from '../../../common/schemas/customers.js';
import { formatDateTime } from '../../../common/time.js';
import { dialectOf } from '../../db/dialect.js';
import { appendAudit } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy/index.js';
import { jsonText } from '../../platform/sql.js';
import { fieldsForKind, loadCustomFields, loadLookups, loadSettings } from './config.js';
import * as repo from './repo.js';
import { filteredCustomers, type Reader, reader, visibleTo } from './service.js';

// Registers and reports: 客户档案一览表 (Excel export of any filtered list, R-W3) and the
// periodic check (每半年检查, R-C11) of missing fields, stale data, overdue filings and changes
// recorded late.

export const EXPORT_MAX_ROWS = 1_000_000;
const BATCH = 1000;

/** Column values of one archive, as people read them (labels, names, company time). */
async function exportRows(r: Reader, rows: repo.CustomerRow[]) {
  const lookups = await loadLookups(r.ctx.db);
  const name = (list: string, code: string | null) =>
    code
      ? (lookups.find((l) => l.list === list && l.code === code)?.[
          r.ctx.lang === 'en' ? 'labelEn' : 'label'
        ] ?? code)
      : '';
  const ids = rows.map((x) => x.id);
  const [owners, contacts] = await Promise.all([
    repo.ownersOf(r.ctx.db, ids),
    repo.primaryContactsOf(r.ctx.db, ids),
  ]);
  const lang = r.ctx.lang;
  return rows.map((c) => {
    const custom = JSON.parse(c.custom_fields) as Record<string, unknown>;
    return {
      values: {
        archiveCode: c.archive_code,
        name: c.name,
        creditCode: c.credit_code ?? '',
        category: name('category', c.category),
        kind: name('kind', c.kind),
        nature: name('nature', c.nature),
        legalRepresentative: c.legal_representative ?? '',
        registeredAddress: c.registered_address ?? '',
        phone: c.phone ?? '',
        email: c.email ?? '',
        website: c.website ?? '',
        industry: c.industry ?? '',
        region: c.region ?? '',
        businessScope: c.business_scope ?? '',
        registeredCapital: c.registered_capital ?? '',
        staffCount: c.staff_count ?? '',
        source: name('source', c.source),
        grade: c.grade ?? '',
        creditClass: c.credit_class ? CREDIT_CLASS_LABELS[c.credit_class as CreditClass].zh : '',
        department: c.department_name ?? '',
        owners: (owners.get(c.id) ?? []).map((o) => o.name).join('、'),
        secrecy: SECRECY_LABELS[secrecyFromRank(c.secrecy)][lang],
        firstContactDate: c.first_contact_date,
        contactName: contacts.get(c.id)?.name ?? '',
        contactPhone: contacts.get(c.id)?.phone ?? '',
        status: CUSTOMER_STATUS_LABELS[c.status as CustomerStatus][lang],
        filingDueDate: c.filing_due_date,
        filedAt: c.filed_at ? formatDateTime(c.filed_at).slice(0, 10) : '',
        updatedAt: formatDateTime(c.updated_at),
      } as Record<string, unknown>,
      custom,
    };
  });
}

/** Streams the filtered list as 客户档案一览表.xlsx; the export is recorded before it starts. */
export async function exportCustomers(ctx: Ctx, f: CustomerFilter): Promise<Readable> {
  authorize(ctx, 'customer.export', { type: 'customer' });
  const r = await reader(ctx);
  const { n } = await filteredCustomers(r, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(n) > EXPORT_MAX_ROWS) throw new DomainError('export_too_large', 422, { max: EXPORT_MAX_ROWS });
  await appendAudit(ctx, {
    action: 'customer.export',
    targetType: 'customer',
    details: { filter: { ...f }, rows: Number(n) },
  });
  const customFields = (await loadCustomFields(ctx.db)).filter((cf) => cf.active);
  const lang = ctx.lang;
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const sheet = workbook.addWorksheet(lang === 'en' ? 'Customers' : '客户档案一览表');
  sheet.columns = [
    ...CUSTOMER_COLUMNS.map((c) => ({ header: c.header[lang], key: c.key, width: c.width })),
    ...customFields.map((cf) => ({ header: cf.label, key: `custom.${cf.key}`, width: 14 })),
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  const write = async () => {
    let after: string | null = null;
    for (;;) {
      let q = filteredCustomers(r, f)
        .leftJoin('departments as d', 'd.id', 'c.department_id')
        .selectAll('c')
        .select('d.name as department_name');
      if (after) q = q.where('c.archive_code', '>', after);
      const rows = (await q.orderBy('c.archive_code').limit(BATCH).execute()) as repo.CustomerRow[];
      for (const { values, custom } of await exportRows(r, rows)) {
        const row: Record<string, unknown> = { ...values };
        for (const cf of customFields) {
          const v = custom[cf.key];
          row[`custom.${cf.key}`] = Array.isArray(v) ? v.join('、') : (v ?? '');
        }
        sheet.addRow(row).commit();
      }
      if (rows.length < BATCH) break;
      after = rows.at(-1)?.archive_code ?? null;
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((err: unknown) => out.destroy(err as Error));
  return out;
}

// Periodic check (R-C11) -------------------------------------------------------------------------

const COLUMN_OF: Record<string, string> = Object.fromEntries(
  Object.entries(repo.FIELD_COLUMNS).map(([field, column]) => [field, `c.${column}`]),
);

export interface CheckSection<T> {
  count: number;
  items: T[];
}

export interface CheckReport {
  generatedAt: string;
  staleMonths: number;
  staleBefore: string;
  overdueFilings: CheckSection<CustomerListItem>;
  missingFields: CheckSection<CustomerListItem & { missing: string[] }>;
  stale: CheckSection<CustomerListItem>;
  lateChanges: CheckSection<{
    customerId: string;
    archiveCode: string;
    name: string;
    field: string | null;
    changeDate: string | null;
    recordedAt: string;
    actorName: string | null;
  }>;
}

/** SQL condition: one of the fields required for filing is empty (custom fields included). */
async function missingCondition(r: Reader) {
  const settings = await loadSettings(r.ctx.db);
  const dialect = dialectOf(r.ctx.db as never);
  const customFields = (await loadCustomFields(r.ctx.db)).filter((f) => f.active && f.required);
  return {
    required: settings.filingRequiredFields.filter((f) => (FILING_FIELDS as readonly string[]).includes(f)),
    customFields,
    where: ((): Expression<SqlBool> => {
      const ors: Expression<SqlBool>[] = [];
      for (const field of settings.filingRequiredFields) {
        if (field === 'contacts') {
          ors.push(
            sql<SqlBool>`not exists (select 1 from contacts k where k.customer_id = c.id and k.active = 1)`,
          );
        } else if (COLUMN_OF[field]) {
          ors.push(
            sql<SqlBool>`(${sql.ref(COLUMN_OF[field] as string)} is null or ${sql.ref(COLUMN_OF[field] as string)} = '')`,
          );
        }
      }
      for (const cf of customFields) {
        const value = jsonText(dialect, 'c.custom_fields', cf.key);
        const applies = cf.kinds ? sql<SqlBool>`c.kind in (${sql.join(cf.kinds)})` : sql<SqlBool>`1 = 1`;
        ors.push(sql<SqlBool>`(${applies} and (${value} is null or ${value} = '' or ${value} = '[]'))`);
      }
      return ors.length ? sql<SqlBool>`(${sql.join(ors, sql` or `)})` : sql<SqlBool>`1 = 0`;
    })(),
  };
}

function monthsBefore(now: Date, months: number): string {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString();
}

export async function checkReport(
  ctx: Ctx,
  opts: { staleMonths?: number | undefined; limit: number },
): Promise<CheckReport> {
  authorize(ctx, 'customer.report', { type: 'customer' });
  const r = await reader(ctx);
  const settings = await loadSettings(ctx.db);
  const staleMonths = opts.staleMonths ?? settings.staleMonths;
  const staleBefore = monthsBefore(ctx.now(), staleMonths);
  const missing = await missingCondition(r);
  const live = () => filteredCustomers(r, {}).where('c.status', 'in', ['draft', 'filed']);

  const section = async (
    q: repo.CustomerQuery,
    order: 'c.filing_due_date' | 'c.updated_at' | 'c.archive_code',
  ) => {
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = (await q
      .leftJoin('departments as d', 'd.id', 'c.department_id')
      .selectAll('c')
      .select('d.name as department_name')
      .orderBy(order)
      .orderBy('c.archive_code')
      .limit(opts.limit)
      .execute()) as repo.CustomerRow[];
    const ids = rows.map((x) => x.id);
    const [owners, contacts] = await Promise.all([
      repo.ownersOf(ctx.db, ids),
      repo.primaryContactsOf(ctx.db, ids),
    ]);
    return {
      count: Number(n),
      rows,
      items: rows.map((x) => repo.toListItem(x, r.today, owners.get(x.id) ?? [], contacts.get(x.id))),
    };
  };

  const overdue = await section(filteredCustomers(r, { overdue: 'true' }), 'c.filing_due_date');
  const incomplete = await section(live().where(missing.where), 'c.archive_code');
  const stale = await section(live().where('c.updated_at', '<', staleBefore), 'c.updated_at');

  // Which fields each listed archive misses, for the people who will fill them in.
  const contactIds = new Set(
    incomplete.rows.length
      ? (
          await ctx.db
            .selectFrom('contacts')
            .select('customer_id')
            .where(
              'customer_id',
              'in',
              incomplete.rows.map((x) => x.id),
            )
            .where('active', '=', 1)
            .execute()
        ).map((x) => x.customer_id)
      : [],
  );
  const columnKey = (field: string) => (COLUMN_OF[field] ?? '').slice(2) as keyof repo.CustomerRow;
  const missingItems = incomplete.items.map((item, i) => {
    const row = incomplete.rows[i] as repo.CustomerRow;
    const custom = JSON.parse(row.custom_fields) as Record<string, unknown>;
    const list = missing.required.filter((f) =>
      f === 'contacts' ? !contactIds.has(row.id) : row[columnKey(f)] === null || row[columnKey(f)] === '',
    );
    for (const cf of fieldsForKind(missing.customFields, row.kind)) {
      const v = custom[cf.key];
      if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0))
        list.push(`customFields.${cf.key}`);
    }
    return { ...item, missing: list };
  });

  const lateQuery = () =>
    ctx.db
      .selectFrom('customer_history as h')
      .innerJoin('customers as c', 'c.id', 'h.customer_id')
      .where('h.late', '=', 1)
      .where('h.at', '>=', staleBefore)
      .where(visibleTo(r));
  const { n: lateCount } = await lateQuery()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const late = await lateQuery()
    .select(['c.id', 'c.archive_code', 'c.name', 'h.field', 'h.change_date', 'h.at', 'h.actor_name'])
    .orderBy('h.at', 'desc')
    .limit(opts.limit)
    .execute();

  return {
    generatedAt: ctx.now().toISOString(),
    staleMonths,
    staleBefore,
    overdueFilings: { count: overdue.count, items: overdue.items },
    missingFields: { count: incomplete.count, items: missingItems },
    stale: { count: stale.count, items: stale.items },
    lateChanges: {
      count: Number(lateCount),
      items: late.map((x) => ({
        customerId: x.id,
        archiveCode: x.archive_code,
        name: x.name,
        field: x.field,
        changeDate: x.change_date,
        recordedAt: x.at,
        actorName: x.actor_name,
      })),
    },
  };
}
