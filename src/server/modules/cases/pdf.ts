import {
  CASE_EVENT_LABELS,
  CASE_KIND_LABELS,
  CASE_STATUS_LABELS,
  CAUSE_LABELS,
  CHANNEL_LABELS,
  CLOCK_LABELS,
  DISPOSITION_LABELS,
  OPINION_LABELS,
  OUTCOME_LABELS,
  REPLY_WAY_LABELS,
  SEVERITY_LABELS,
} from '../../../common/cases.js';
import { type Label, ROLE_LABELS, type Role, SECRECY_LABELS } from '../../../common/enums.js';
import type { Case, CaseClock } from '../../../common/schemas/cases.js';
import { formatDateTime } from '../../../common/time.js';
import { type FormField, type FormSection, formPdf } from '../../platform/pdf-form.js';

// The papers of a case (R-Q4, R-Q5): the 客户投诉记录表 (客户服务记录表 for service requests) filed
// into the customer's archive when the revisit closes the case, and the 8D report printed for
// automotive customers. Pure: a case in, PDF bytes out; times in company time (Asia/Shanghai).

/** An action of the case's corrective and preventive action list (纠正预防措施). */
export interface CaseAction {
  kind: string;
  description: string;
  owner: string | null;
  dueDate: string;
  status: string;
  result?: string | null;
  verification?: string | null;
}

/** `2026-09-30 16:00` in Asia/Shanghai; a calendar date stays as it is. */
const at = (v: string | Date | null | undefined) =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : formatDateTime(v).slice(0, 16);
const zh = <K extends string>(labels: Record<K, Label>, key: K | null | undefined) =>
  key ? labels[key].zh : '';
const name = (p: { name: string } | null) => p?.name ?? '';
const num = (n: number | null) => (n === null ? '' : String(n));
/** A row of the form: label/value pairs. */
const row = (...fields: [string, string | null | undefined][]): FormField[] =>
  fields.map(([label, value]) => ({ label, value }));

const CLOCK_STATES: Record<CaseClock['state'], string> = {
  met: '按期',
  late: '超期',
  open: '未完成',
  breached: '超期未完成',
};
const ACTION_STATUSES: Record<string, string> = {
  open: '进行中',
  done: '已完成',
  verified: '已验证',
  ineffective: '验证无效',
};

/** The effective secrecy level, printed at the top of each page when above 普通. */
const markOf = (c: Case) => (c.secrecy === 'normal' ? null : SECRECY_LABELS[c.secrecy].zh);
const footerOf = (c: Case, company?: string) => `${company ?? '客档 Kedang'} · ${c.number}`;

export async function caseRecordPdf(
  c: Case,
  opts: { company?: string; printedAt: Date },
): Promise<Uint8Array> {
  const complaint = c.kind === 'complaint';
  const title = complaint ? '客户投诉记录表' : '客户服务记录表';
  const sections: FormSection[] = [
    {
      heading: complaint ? '一、投诉受理' : '一、服务受理',
      blocks: [
        {
          fields: [
            row(
              ['编号', c.number],
              ['类别', zh(CASE_KIND_LABELS, c.kind)],
              ['状态', zh(CASE_STATUS_LABELS, c.status)],
            ),
            row(['类型', c.typeLabel], ['子类型', c.subtype], ['严重程度', zh(SEVERITY_LABELS, c.severity)]),
            row(['客户名称', c.customer.name], ['客户编号', c.customer.code]),
            row(
              ['联系人', c.contact.name],
              ['联系电话', c.contact.phone],
              ['渠道', zh(CHANNEL_LABELS, c.channel)],
            ),
            row(['产品', c.product], ['零件号', c.partNumber]),
            row(['订单号', c.orderRef], ['数量', num(c.quantity)]),
            row(
              ['受理人', name(c.receiver)],
              ['受理部门', c.department?.name],
              ['受理时间', at(c.receivedAt)],
            ),
            row(['客户原话', c.content]),
            row(['客户要求', c.demand]),
            row(['密级', zh(SECRECY_LABELS, c.secrecy)], ['档号', c.document?.archiveNo]),
          ],
        },
      ],
    },
    {
      heading: complaint ? '二、判定与分派' : '二、派工',
      blocks: [
        {
          fields: complaint
            ? [
                row(
                  ['判定结果', zh(OUTCOME_LABELS, c.outcome)],
                  ['判定人', name(c.triage.by)],
                  ['判定时间', at(c.triage.at)],
                ),
                row(['判定说明', c.triage.note]),
                row(['处理部门', c.handlingDepartment?.name], ['处理人', name(c.handler)]),
              ]
            : [
                row(['派工人', name(c.triage.by)], ['派工时间', at(c.triage.at)]),
                row(['处理部门', c.handlingDepartment?.name], ['处理人', name(c.handler)]),
                row(['派工说明', c.triage.note]),
              ],
        },
      ],
    },
    {
      heading: '三、调查与处理',
      blocks: [
        {
          fields: [
            row(
              ['原因类别', zh(CAUSE_LABELS, c.investigation.causeCategory)],
              ['责任部门', c.responsibleDepartment?.name],
              ['责任人', name(c.responsible)],
            ),
            row(['原因分析', c.investigation.analysis]),
            row(['临时措施', c.investigation.containment]),
            row(['处理方案', c.investigation.solution]),
            row(['效果验证', c.investigation.verification]),
            row(
              ['验证人', name(c.investigation.verifiedBy)],
              ['验证时间', at(c.investigation.verifiedAt)],
              ['处理完成', at(c.resolvedAt)],
            ),
          ],
        },
      ],
    },
    {
      heading: '四、退换货',
      blocks: [
        {
          fields: [
            row(
              ['退换数量', num(c.return.quantity)],
              ['处置方式', zh(DISPOSITION_LABELS, c.return.disposition)],
              ['收货日期', c.return.receivedOn],
            ),
            row(['退换说明', c.return.note]),
          ],
        },
      ],
    },
    {
      heading: '五、答复客户',
      blocks: [
        {
          fields: [
            row(
              ['答复方式', zh(REPLY_WAY_LABELS, c.reply.way)],
              ['答复人', name(c.reply.by)],
              ['答复时间', at(c.reply.at)],
            ),
            row(['答复内容', c.reply.text]),
          ],
        },
      ],
    },
    {
      heading: '六、回访',
      blocks: [
        {
          fields: [
            row(
              ['回访方式', zh(REPLY_WAY_LABELS, c.revisit.way)],
              ['回访人', name(c.revisit.by)],
              ['回访时间', at(c.revisit.at)],
            ),
            row(
              ['客户意见', zh(OPINION_LABELS, c.revisit.opinion)],
              ['回访期限', at(c.revisit.due)],
              ['回访角色', c.revisit.role ? (ROLE_LABELS[c.revisit.role as Role]?.zh ?? c.revisit.role) : ''],
            ),
            row(['意见说明', c.revisit.comment]),
            row(['结案时间', at(c.closedAt)]),
          ],
        },
      ],
    },
    {
      heading: '七、处理时限',
      blocks: [
        {
          table: {
            columns: [
              { header: '时限', width: 12 },
              { header: '到期时间', width: 14 },
              { header: '完成时间', width: 14 },
              { header: '结果', width: 10, align: 'center' },
            ],
            rows: c.clocks.map((k) => [
              zh(CLOCK_LABELS, k.clock),
              at(k.dueAt),
              at(k.metAt),
              CLOCK_STATES[k.state],
            ]),
            empty: '无',
          },
        },
      ],
    },
    {
      heading: '八、处理记录',
      blocks: [
        {
          table: {
            columns: [
              { header: '时间', width: 13 },
              { header: '事项', width: 16 },
              { header: '操作人', width: 8 },
              { header: '备注', width: 30 },
            ],
            rows: c.events.map((e) => [
              at(e.at),
              e.label || zh(CASE_EVENT_LABELS, e.kind),
              name(e.actor),
              e.note ?? '',
            ]),
            empty: '无',
          },
        },
      ],
    },
  ];
  if (c.files.length)
    sections.push({
      heading: '九、附件',
      blocks: [
        {
          table: {
            columns: [
              { header: '文件名', width: 18 },
              { header: '上传人', width: 6 },
              { header: '上传时间', width: 10 },
              { header: 'SHA-256', width: 26 },
            ],
            rows: c.files.map((x) => [x.name, name(x.createdBy), at(x.createdAt), x.sha256]),
          },
        },
      ],
    });
  return formPdf({
    title,
    ...(opts.company ? { company: opts.company } : {}),
    meta: { left: `编号：${c.number}`, right: `打印时间：${at(opts.printedAt)}` },
    mark: markOf(c),
    sections,
    runningHead: `${title} ${c.number}`,
    footer: footerOf(c, opts.company),
  });
}

export async function eightDPdf(
  c: Case,
  actions: CaseAction[],
  opts: { company?: string; printedAt: Date },
): Promise<Uint8Array> {
  const ofKind = (kind: string) => actions.filter((a) => a.kind === kind);
  const status = (s: string) => ACTION_STATUSES[s] ?? s;
  const planned = (list: CaseAction[]) => ({
    table: {
      columns: [
        { header: '序号', width: 3, align: 'center' as const },
        { header: '措施', width: 24 },
        { header: '责任人', width: 6 },
        { header: '完成期限', width: 7 },
        { header: '状态', width: 6, align: 'center' as const },
      ],
      rows: list.map((a, i) => [
        String(i + 1),
        a.description,
        a.owner ?? '',
        at(a.dueDate),
        status(a.status),
      ]),
      empty: '无',
    },
  });
  const owners = [...new Set(actions.map((a) => a.owner).filter((o): o is string => !!o))];
  const corrective = ofKind('corrective');
  const sections: FormSection[] = [
    {
      heading: '基本信息',
      blocks: [
        {
          fields: [
            row(['客户名称', c.customer.name], ['客户编号', c.customer.code]),
            row(
              ['类型', c.typeLabel],
              ['严重程度', zh(SEVERITY_LABELS, c.severity)],
              ['受理时间', at(c.receivedAt)],
            ),
          ],
        },
      ],
    },
    {
      heading: 'D1 成立小组',
      blocks: [
        {
          fields: [
            row(
              ['组长', name(c.handler)],
              ['处理部门', c.handlingDepartment?.name],
              ['判定人', name(c.triage.by)],
            ),
            row(['责任部门', c.responsibleDepartment?.name], ['责任人', name(c.responsible)]),
            row(['措施负责人', owners.join('、')]),
          ],
        },
      ],
    },
    {
      heading: 'D2 问题描述',
      blocks: [
        {
          fields: [
            row(['客户原话', c.content]),
            row(['客户要求', c.demand]),
            row(['产品', c.product], ['零件号', c.partNumber], ['数量', num(c.quantity)]),
          ],
        },
      ],
    },
    {
      heading: 'D3 临时措施',
      blocks: [
        { fields: [row(['临时措施', c.investigation.containment])] },
        ...(ofKind('containment').length ? [planned(ofKind('containment'))] : []),
      ],
    },
    {
      heading: 'D4 根本原因',
      blocks: [
        {
          fields: [
            row(['原因类别', zh(CAUSE_LABELS, c.investigation.causeCategory)]),
            row(['原因分析', c.investigation.analysis]),
          ],
        },
      ],
    },
    {
      heading: 'D5 永久纠正措施',
      blocks: [
        ...(c.investigation.solution ? [{ fields: [row(['处理方案', c.investigation.solution])] }] : []),
        planned(corrective),
      ],
    },
    {
      heading: 'D6 实施与效果验证',
      blocks: [
        {
          table: {
            columns: [
              { header: '序号', width: 3, align: 'center' },
              { header: '措施', width: 14 },
              { header: '实施结果', width: 14 },
              { header: '验证', width: 14 },
            ],
            rows: corrective.map((a, i) => [
              String(i + 1),
              a.description,
              a.result ?? '',
              a.verification ?? '',
            ]),
            empty: '无',
          },
        },
        {
          fields: [
            row(['效果验证', c.investigation.verification]),
            row(['验证人', name(c.investigation.verifiedBy)], ['验证时间', at(c.investigation.verifiedAt)]),
          ],
        },
      ],
    },
    { heading: 'D7 预防措施', blocks: [planned(ofKind('preventive'))] },
    {
      heading: 'D8 结案',
      blocks: [
        {
          fields: [
            row(
              ['客户意见', zh(OPINION_LABELS, c.revisit.opinion)],
              ['回访时间', at(c.revisit.at)],
              ['结案日期', at(c.closedAt).slice(0, 10)],
            ),
            row(['意见说明', c.revisit.comment]),
          ],
        },
      ],
    },
  ];
  return formPdf({
    title: '8D 报告',
    meta: { left: `编号：${c.number}`, right: `打印时间：${at(opts.printedAt)}` },
    mark: markOf(c),
    sections,
    ...(opts.company ? { company: opts.company } : {}),
    runningHead: `8D 报告 ${c.number}`,
    footer: footerOf(c, opts.company),
  });
}
