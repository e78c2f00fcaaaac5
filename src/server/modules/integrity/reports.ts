import type {
  IntegrityCheckSummary,
  IntegrityReport,
  IntegrityTrigger,
  StoredIntegrityReport,
} from '../../../common/schemas/integrity.js';
import { formatDateTime } from '../../../common/time.js';
import type { IntegrityReportTable } from '../../db/types.js';
import { appendAudit } from '../../platform/audit/chain.js';
import { type Actor, type Ctx, SYSTEM_ACTOR, tx } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { activeUsersWithRoles, notify } from '../../platform/notify.js';
import { authorize, canSeeSecrecy } from '../../platform/policy/index.js';
import { newestFirst } from '../../platform/sql.js';

// The history of integrity checks (R-L2): every report is kept, listed newest first and can be
// opened again. A finding about a record above the reader's clearance is shown without the
// record's title, file name and link (R-P1) — the reader still learns that something is wrong.

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

function readable(actor: Actor, r: IntegrityReportTable): StoredIntegrityReport {
  const report = JSON.parse(r.report) as IntegrityReport;
  const { id, trigger, actor: by, fixityFailures } = summaryOf(r);
  return {
    ...report,
    id,
    trigger,
    actor: by,
    fixityFailures,
    findings: report.findings.map((f) =>
      f.secrecy !== undefined && !canSeeSecrecy(actor, f.secrecy)
        ? { ...f, documentId: null, title: null, fileName: null }
        : f,
    ),
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
      });
    }
  });
  return readable(ctx.actor ?? ({ clearance: 3 } as Actor), row);
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
  return readable(ctx.actor, row);
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
  return readable(ctx.actor, row);
}
