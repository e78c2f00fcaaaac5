import type { Readable } from 'node:stream';
import { type Expression, type SqlBool, sql } from 'kysely';
import { CUSTOMER_COLUMNS } from '../../../common/customer-columns.js';
import {
  CREDIT_CLASS_LABELS,
  type CreditClass,
  CUSTOMER_FIELD_LABELS,
  CUSTOMER_STATUS_LABELS,
  type CustomerStatus,
  FILING_FIELDS,
} from '../../../common/customers.js';
import { SECRECY_LABELS, secrecyFromRank } from '../../../common/enums.js';
import type { CustomerFilter, CustomerListItem } from '../../../common/schemas/customers.js';
import { formatDateTime } from '../../../common/time.js';
import { dialectOf } from '../../db/dialect.js';
import type { Db } from '../../db/index.js';
import { appendAudit, exportSecrecy } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy/index.js';
import { jsonText } from '../../platform/sql.js';
import { EXPORT_MAX_ROWS, streamWorkbook } from '../../platform/xlsx.js';
import { fieldsForKind, loadCustomFields, loadLookups, loadSettings } from './config.js';
import * as repo from './repo.js';
import { filteredCustomers, type Reader, reader, visibleTo } from './service.js';

// Registers and reports: 客户档案一览表 (Excel export of any filtered list, R-W3) and the
// periodic check (每半年检查, R-C11) of missing fields, stale data, overdue filings and changes
// recorded late.

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
  const { n, secrecy } = await filteredCustomers(r, f)
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('c.secrecy').as('secrecy')])
    .executeTakeFirstOrThrow();
  if (Number(n) > EXPORT_MAX_ROWS) throw new DomainError('export_too_large', 422, { max: EXPORT_MAX_ROWS });
  // The entry names the filter (a search text may be a name): as secret as what it exported.
  await appendAudit(ctx, {
    action: 'customer.export',
    targetType: 'customer',
    secrecy: exportSecrecy(r.ctx.actor, { ...f }, secrecy),
    details: { filter: { ...f }, rows: Number(n) },
  });
  const customFields = (await loadCustomFields(ctx.db)).filter((cf) => cf.active);
  const lang = ctx.lang;
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet(lang === 'en' ? 'Customers' : '客户档案一览表');
    sheet.columns = [
      ...CUSTOMER_COLUMNS.map((c) => ({ header: c.header[lang], key: c.key, width: c.width })),
      ...customFields.map((cf) => ({ header: cf.label, key: `custom.${cf.key}`, width: 14 })),
    ];
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    let after: string | null = null;
    for (;;) {
      let q = repo.withDepartment(filteredCustomers(r, f));
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
  });
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

/** SQL condition over the archive `c`: one of the fields required for filing is empty (custom
 * fields included). Also the integrity check's (R-L2). */
export async function missingCondition(db: Db) {
  const settings = await loadSettings(db);
  const dialect = dialectOf(db as never);
  const customFields = (await loadCustomFields(db)).filter((f) => f.active && f.required);
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

/** The four sections of the periodic check as queries, shared by the page and the export. */
async function checkQueries(ctx: Ctx, staleMonthsOption: number | undefined) {
  authorize(ctx, 'customer.report', { type: 'customer' });
  const r = await reader(ctx);
  const settings = await loadSettings(ctx.db);
  const staleMonths = staleMonthsOption ?? settings.staleMonths;
  const staleBefore = monthsBefore(ctx.now(), staleMonths);
  const missing = await missingCondition(r.ctx.db);
  const live = () => filteredCustomers(r, {}).where('c.status', 'in', ['draft', 'filed']);

  /** Which of the required fields each archive misses, for the people who will fill them in. */
  const missingOf = async (rows: repo.CustomerRow[]): Promise<string[][]> => {
    const withContacts = new Set(
      rows.length
        ? (
            await ctx.db
              .selectFrom('contacts')
              .select('customer_id')
              .where(
                'customer_id',
                'in',
                rows.map((x) => x.id),
              )
              .where('active', '=', 1)
              .execute()
          ).map((x) => x.customer_id)
        : [],
    );
    return rows.map((row) => {
      const custom = JSON.parse(row.custom_fields) as Record<string, unknown>;
      const empty = (v: unknown) =>
        v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
      const list = missing.required.filter((f) =>
        f === 'contacts' ? !withContacts.has(row.id) : empty(row[repo.FIELD_COLUMNS[f as repo.MasterField]]),
      );
      for (const cf of fieldsForKind(missing.customFields, row.kind)) {
        if (empty(custom[cf.key])) list.push(`customFields.${cf.key}`);
      }
      return list;
    });
  };

  return {
    r,
    staleMonths,
    staleBefore,
    missingOf,
    sections: {
      overdueFilings: {
        query: () => filteredCustomers(r, { overdue: 'true' }),
        order: 'c.filing_due_date' as const,
      },
      missingFields: { query: () => live().where(missing.where), order: 'c.archive_code' as const },
      stale: { query: () => live().where('c.updated_at', '<', staleBefore), order: 'c.updated_at' as const },
    },
    late: () =>
      ctx.db
        .selectFrom('customer_history as h')
        .innerJoin('customers as c', 'c.id', 'h.customer_id')
        .where('h.late', '=', 1)
        .where('h.at', '>=', staleBefore)
        .where(visibleTo(r)),
  };
}

export async function checkReport(
  ctx: Ctx,
  opts: { staleMonths?: number | undefined; limit: number },
): Promise<CheckReport> {
  const check = await checkQueries(ctx, opts.staleMonths);
  const { r } = check;
  const section = async (s: {
    query: () => repo.CustomerQuery;
    order: 'c.filing_due_date' | 'c.updated_at' | 'c.archive_code';
  }) => {
    const { n } = await s
      .query()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const rows = (await repo
      .withDepartment(s.query())
      .orderBy(s.order)
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
  const overdue = await section(check.sections.overdueFilings);
  const incomplete = await section(check.sections.missingFields);
  const stale = await section(check.sections.stale);
  const missing = await check.missingOf(incomplete.rows);
  const { n: lateCount } = await check
    .late()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const late = await check
    .late()
    .select(['c.id', 'c.archive_code', 'c.name', 'h.field', 'h.change_date', 'h.at', 'h.actor_name'])
    .orderBy('h.at', 'desc')
    .limit(opts.limit)
    .execute();

  return {
    generatedAt: ctx.now().toISOString(),
    staleMonths: check.staleMonths,
    staleBefore: check.staleBefore,
    overdueFilings: { count: overdue.count, items: overdue.items },
    missingFields: {
      count: incomplete.count,
      items: incomplete.items.map((item, i) => ({ ...item, missing: missing[i] ?? [] })),
    },
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

/** The periodic check as .xlsx: one sheet per section, every row (streamed), Chinese headers. */
export async function checkXlsx(ctx: Ctx, opts: { staleMonths?: number | undefined }): Promise<Readable> {
  const check = await checkQueries(ctx, opts.staleMonths);
  const zh = ctx.lang !== 'en';
  await appendAudit(ctx, {
    action: 'customer.check_export',
    targetType: 'customer',
    details: { staleMonths: check.staleMonths },
  });
  const [lookups, customFields] = await Promise.all([loadLookups(ctx.db), loadCustomFields(ctx.db)]);
  const fieldLabel = (field: string) =>
    field.startsWith('customFields.')
      ? (customFields.find((f) => `customFields.${f.key}` === field)?.label ?? field)
      : (CUSTOMER_FIELD_LABELS[field]?.[ctx.lang] ?? field);
  const category = (code: string) =>
    lookups.find((l) => l.list === 'category' && l.code === code)?.[zh ? 'label' : 'labelEn'] ?? code;
  return streamWorkbook(async (workbook) => {
    const customerColumns = [
      { header: zh ? '档案编号' : 'Archive code', key: 'code', width: 14 },
      { header: zh ? '客户名称' : 'Name', key: 'name', width: 30 },
      { header: zh ? '客户类别' : 'Category', key: 'category', width: 10 },
      { header: zh ? '所属部门' : 'Department', key: 'department', width: 12 },
      { header: zh ? '负责人' : 'Responsible', key: 'owners', width: 14 },
      { header: zh ? '状态' : 'Status', key: 'status', width: 8 },
      { header: zh ? '备案期限' : 'Filing due', key: 'due', width: 12 },
      { header: zh ? '最后更新' : 'Last updated', key: 'updated', width: 18 },
    ];
    const sheets = [
      {
        title: zh ? '逾期未备案' : 'Overdue filings',
        section: check.sections.overdueFilings,
        missing: false,
      },
      { title: zh ? '缺少必填信息' : 'Missing fields', section: check.sections.missingFields, missing: true },
      { title: zh ? '长期未更新' : 'Stale', section: check.sections.stale, missing: false },
    ];
    for (const { title, section, missing } of sheets) {
      const sheet = workbook.addWorksheet(title);
      sheet.columns = [
        ...customerColumns,
        ...(missing ? [{ header: zh ? '缺少的信息' : 'Missing', key: 'missing', width: 40 }] : []),
      ];
      sheet.getRow(1).font = { bold: true };
      sheet.getRow(1).commit();
      let after: string | null = null;
      for (;;) {
        let q = repo.withDepartment(section.query());
        if (after) q = q.where('c.archive_code', '>', after);
        const rows = (await q.orderBy('c.archive_code').limit(BATCH).execute()) as repo.CustomerRow[];
        const owners = await repo.ownersOf(
          ctx.db,
          rows.map((x) => x.id),
        );
        const lacking = missing ? await check.missingOf(rows) : [];
        for (const [i, c] of rows.entries()) {
          sheet
            .addRow({
              code: c.archive_code,
              name: c.name,
              category: category(c.category),
              department: c.department_name ?? '',
              owners: (owners.get(c.id) ?? []).map((o) => o.name).join('、'),
              status: CUSTOMER_STATUS_LABELS[c.status as CustomerStatus][ctx.lang],
              due: c.filing_due_date,
              updated: formatDateTime(c.updated_at),
              missing: (lacking[i] ?? []).map(fieldLabel).join('、'),
            })
            .commit();
        }
        if (rows.length < BATCH) break;
        after = rows.at(-1)?.archive_code ?? null;
      }
      sheet.commit();
    }
    const sheet = workbook.addWorksheet(zh ? '逾期登记的变动' : 'Changes recorded late');
    sheet.columns = [
      { header: zh ? '档案编号' : 'Archive code', key: 'code', width: 14 },
      { header: zh ? '客户名称' : 'Name', key: 'name', width: 30 },
      { header: zh ? '变更项' : 'Field', key: 'field', width: 16 },
      { header: zh ? '变动日期' : 'Changed on', key: 'changeDate', width: 12 },
      { header: zh ? '登记时间' : 'Recorded at', key: 'at', width: 18 },
      { header: zh ? '登记人' : 'Recorded by', key: 'actor', width: 12 },
    ];
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    let before: [string, string] | null = null;
    for (;;) {
      let q = check
        .late()
        .select(['c.archive_code', 'c.name', 'h.field', 'h.change_date', 'h.at', 'h.actor_name', 'h.id']);
      // An import records many changes at the same instant: page on (time, id).
      if (before) q = q.where(sql<SqlBool>`(h.at, h.id) < (${before[0]}, ${before[1]})`);
      const rows = await q.orderBy('h.at', 'desc').orderBy('h.id', 'desc').limit(BATCH).execute();
      for (const x of rows) {
        sheet
          .addRow({
            code: x.archive_code,
            name: x.name,
            field: x.field ? fieldLabel(x.field) : '',
            changeDate: x.change_date ?? '',
            at: formatDateTime(x.at),
            actor: x.actor_name ?? '',
          })
          .commit();
      }
      if (rows.length < BATCH) break;
      const last = rows.at(-1);
      before = last ? [last.at, last.id] : null;
    }
    sheet.commit();
  });
}
