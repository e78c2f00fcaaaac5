import type {
  IntegrityCheckSummary,
  IntegrityReport,
  IntegrityTrigger,
  StoredIntegrityReport,
} from '../../../common/schemas/integrity.js';
import { formatDateTime } from '../../../common/time.js';
import type { Db } from '../../db/index.js';
import type { IntegrityReportTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Actor, type Ctx, SYSTEM_ACTOR, tx } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { activeUsersWithRoles, notify } from '../../platform/notify.js';
import { authorize, canSeeSecrecy } from '../../platform/policy/index.js';
import { secrecyOfDocuments } from '../../platform/policy/records.js';
import { newestFirst } from '../../platform/sql.js';

// The history of integrity checks (R-L2): every report is kept, listed newest first and can be
// opened again. A finding about a record above the reader's clearance — by its effective secrecy
// when the check ran or now, whichever is higher (R-P9) — is shown without the record's title,
// id, file name, digest or detail (R-P1): the reader still learns that something is wrong.

/** Who hears about files that changed or went missing. */
const FIXITY_RECIPIENTS = ['admin', 'archivist'] as const;

function summaryOf(r: IntegrityReportTable): IntegrityCheckSummary {
  return {
    id: r.id,
    checkedAt: r.checked_at,
    trigger: r.trigger as IntegrityTrigger,
    actor: r.actor_id && r.actor_name ? { id: r.actor_id, name: r.actor_name } : null,
    ok: Number(r.ok) === 1,
    findings: Number(r.findings),
    fixityFailures: Number(r.fixity_failures),
  };
}

/** What a finding about a record the reader may not see still says. */
const HIDDEN_DETAIL = '该记录的密级高于您的涉密等级，详情不显示';

async function readable(db: Db, actor: Actor, r: IntegrityReportTable): Promise<StoredIntegrityReport> {
  const report = JSON.parse(r.report) as IntegrityReport;
  const { id, trigger, actor: by, fixityFailures } = summaryOf(r);
  const now = await secrecyOfDocuments(
    db,
    report.findings.flatMap((f) => (f.documentId ? [f.documentId] : [])),
  );
  return {
    ...report,
    id,
    trigger,
    actor: by,
    fixityFailures,
    findings: report.findings.map((f) => {
      if (f.secrecy === undefined) return f;
      const secrecy = Math.max(f.secrecy, (f.documentId && now.get(f.documentId)) || 0);
      return canSeeSecrecy(actor, secrecy)
        ? { ...f, secrecy }
        : {
            ...f,
            secrecy,
            documentId: null,
            customerId: null,
            title: null,
            fileName: null,
            sha256: null,
            detail: HIDDEN_DETAIL,
          };
    }),
  };
}

/** Keeps a report, audits the check and, for fixity failures, notifies in the same transaction. */
export async function storeReport(
  ctx: Ctx,
  report: IntegrityReport,
  trigger: IntegrityTrigger,
): Promise<StoredIntegrityReport> {
  const id = newId();
  const fixity = new Set(report.findings.filter((f) => f.aspect === 'fixity').map((f) => f.sha256));
  const person = trigger === 'manual' && ctx.actor && ctx.actor.id !== SYSTEM_ACTOR.id ? ctx.actor : null;
  const row: IntegrityReportTable = {
    id,
    checked_at: report.checkedAt,
    trigger,
    actor_id: person?.id ?? null,
    actor_name: person?.name ?? null,
    ok: report.ok ? 1 : 0,
    findings: report.findings.length,
    fixity_failures: fixity.size,
    report: JSON.stringify(report),
  };
  await tx(ctx, async (t) => {
    await t.db.insertInto('integrity_reports').values(row).execute();
    await appendAudit(t, {
      action: 'integrity.check',
      targetType: 'integrity_report',
      targetId: id,
      targetLabel: formatDateTime(report.checkedAt),
      outcome: report.ok ? 'success' : 'failure',
      details: { ok: report.ok, trigger, counts: report.counts, findings: report.findings.length },
    });
    if (fixity.size) {
      const missing = report.findings.filter((f) => f.problem === 'blob_missing').length;
      await notify(t, await activeUsersWithRoles(t.db, FIXITY_RECIPIENTS), {
        kind: 'integrity.fixity',
        title: `完整性检查发现 ${fixity.size} 个文件被改变或缺失`,
        body: `${formatDateTime(report.checkedAt)} 的${trigger === 'scheduled' ? '定时' : ''}检查：存储的文件与登记的 SHA-256 不符${missing ? '或找不到' : ''}。请打开报告逐项核实，必要时从备份恢复。`,
        link: `/admin/integrity?report=${id}`,
        // A count and a date: no record is named.
        secrecy: 0,
      });
    }
  });
  return readable(ctx.db, ctx.actor ?? ({ clearance: 3 } as Actor), row);
}

export async function listReports(
  ctx: Ctx,
  q: { cursor?: string | undefined; limit: number },
): Promise<{ items: IntegrityCheckSummary[]; nextCursor: string | null }> {
  authorize(ctx, 'integrity.run', { type: 'system' });
  const { rows, nextCursor } = await newestFirst(
    ctx.db.selectFrom('integrity_reports').selectAll(),
    'checked_at',
    q,
  );
  return { items: rows.map(summaryOf), nextCursor };
}

export async function getReport(ctx: Ctx, id: string): Promise<StoredIntegrityReport> {
  authorize(ctx, 'integrity.run', { type: 'system' });
  const row = await ctx.db
    .selectFrom('integrity_reports')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound();
  return readable(ctx.db, ctx.actor, row);
}

/** The report of the latest check that finished. */
export async function latestReport(ctx: Ctx): Promise<StoredIntegrityReport> {
  authorize(ctx, 'integrity.run', { type: 'system' });
  const row = await ctx.db
    .selectFrom('integrity_reports')
    .selectAll()
    .orderBy('checked_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw notFound();
  return readable(ctx.db, ctx.actor, row);
}
