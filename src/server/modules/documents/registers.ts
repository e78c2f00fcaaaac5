import type { Readable } from 'node:stream';
import {
  DOCUMENT_STATUS_LABELS,
  type ObsoleteVersion,
  obsoleteVersionSource,
  REGISTER_COLUMNS,
  REGISTER_LABELS,
  type Register,
  registerCells,
  secrecyText,
} from '../../../common/documents.js';
import type { DocumentFilter } from '../../../common/schemas/documents.js';
import { appendAudit, exportSecrecy } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { type CsvEncoding, csvStream } from '../../platform/csv.js';
import { DomainError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy/index.js';
import { documentSecrecy } from '../../platform/policy/records.js';
import { EXPORT_MAX_ROWS, secrecyPageHeader, streamWorkbook } from '../../platform/xlsx.js';
import * as repo from './repo.js';
import { filteredDocuments, reader } from './service.js';

// The registers of R-D3 as .xlsx and CSV (R-W3): 外来文件清单, 客户提供资料一览表 and 归档文件目录, with the
// columns of the paper forms, streamed in pages so that any size stays flat in memory. Only
// what the reader may see is listed (the visibility predicate is part of the query).

const BATCH = 1000;

export type RegisterFormat = 'xlsx' | 'csv';

export async function exportRegister(
  ctx: Ctx,
  register: Register,
  f: DocumentFilter,
  /** Also list each superseded version below its document (not for 归档文件目录). */
  withObsolete = false,
  format: RegisterFormat = 'xlsx',
  encoding: CsvEncoding = 'utf8',
): Promise<Readable> {
  authorize(ctx, 'document.export', { type: 'document' });
  const r = await reader(ctx);
  const filter = { ...f, register };
  const { n, secrecy } = await filteredDocuments(r, filter)
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max(documentSecrecy('d')).as('secrecy')])
    .executeTakeFirstOrThrow();
  if (Number(n) > EXPORT_MAX_ROWS) throw new DomainError('export_too_large', 422, { max: EXPORT_MAX_ROWS });
  // The entry names the filter (a search text may be a title): as secret as what it exported (R-P9).
  await appendAudit(ctx, {
    action: 'document.export',
    targetType: 'document',
    secrecy: exportSecrecy(r.ctx.actor, { ...f }, secrecy),
    details: { register, format, filter: { ...f }, withObsolete, rows: Number(n) },
  });
  const lang = ctx.lang;
  const filed = register === 'filed';
  const columns = REGISTER_COLUMNS[register];
  async function* batches(): AsyncGenerator<Record<string, string | number>[]> {
    let index = 0;
    let after: string | number | null = null;
    for (;;) {
      let q = repo.withNames(filteredDocuments(r, filter));
      if (after !== null)
        q = filed ? q.where('d.archive_no', '>', String(after)) : q.where('d.search_key', '>', Number(after));
      const rows = (await q
        .orderBy(filed ? 'd.archive_no' : 'd.search_key')
        .limit(BATCH)
        .execute()) as repo.DocumentRow[];
      const ids = rows.map((row) => row.id);
      const [distribution, obsolete] = await Promise.all([
        repo.distributionOf(ctx.db, ids),
        withObsolete && !filed ? repo.obsoleteVersionsOf(ctx.db, ids) : new Map<string, ObsoleteVersion[]>(),
      ]);
      const out: Record<string, string | number>[] = [];
      for (const row of rows) {
        const item = repo.toListItem(row);
        const source = {
          ...item,
          secrecyLabel: secrecyText(item.secrecy, item.effectiveSecrecy, lang),
          distribution: distribution.get(row.id) ?? '',
          statusText: DOCUMENT_STATUS_LABELS[item.status][lang],
        };
        out.push(registerCells(source, ++index));
        for (const version of obsolete.get(row.id) ?? [])
          out.push(registerCells(obsoleteVersionSource(source, version), ++index));
      }
      yield out;
      if (rows.length < BATCH) break;
      const last = rows.at(-1) as repo.DocumentRow;
      after = filed ? last.archive_no : Number(last.search_key);
    }
  }
  if (format === 'csv') {
    const lines = async function* () {
      for await (const rows of batches()) yield rows.map((cells) => columns.map((c) => cells[c.key] ?? ''));
    };
    return csvStream(
      columns.map((c) => c.header[lang]),
      lines(),
      encoding,
    );
  }
  return streamWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet(
      REGISTER_LABELS[register][lang],
      secrecyPageHeader(Number(secrecy ?? 0), lang),
    );
    sheet.columns = columns.map((c) => ({
      header: c.header[lang],
      key: c.key,
      width: c.width,
    }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const rows of batches()) for (const cells of rows) sheet.addRow(cells).commit();
    sheet.commit();
  });
}

/** The superseded versions of the documents on a register page, for those the reader may see. */
export async function obsoleteVersions(
  ctx: Ctx,
  documentIds: string[],
): Promise<Record<string, ObsoleteVersion[]>> {
  const r = await reader(ctx);
  const visible = await filteredDocuments(r, {})
    .select('d.id')
    .where('d.id', 'in', documentIds.length ? documentIds : [''])
    .execute();
  return Object.fromEntries(
    await repo.obsoleteVersionsOf(
      ctx.db,
      visible.map((v) => v.id),
    ),
  );
}
