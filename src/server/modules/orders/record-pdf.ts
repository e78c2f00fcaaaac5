import { SECRECY_LABELS } from '../../../common/enums.js';
import {
  CHECKLIST_ANSWER_LABELS,
  ORDER_CHANNEL_LABELS,
  ORDER_CLASS_LABELS,
  ORDER_FILE_KIND_LABELS,
  ORDER_KIND_LABELS,
  ORDER_REVIEW_DECISION_LABELS,
  ORDER_ROUTE_LABELS,
  ORDER_SIGNER_LABELS,
  ORDER_STATUS_LABELS,
} from '../../../common/orders.js';
import type { Order, OrderFile } from '../../../common/schemas/orders.js';
import { formatDateTime } from '../../../common/time.js';
import type { PdfColumn } from '../../platform/pdf.js';
import { type FormBlock, type FormField, type FormSection, formPdf } from '../../platform/pdf-form.js';

// The 订单/合同评审记录表 of seed 003 (常规/新产品订单评审记录表, 合同评审记录表): the order and its
// lines, the class and why, the route, each department's checklist answers with conditions and
// comments (as the paper form: the items down, the departments across), finance's prices, the
// attachments (可行性分析报告), and the signature. Pure: an order as its reader sees it in, PDF
// bytes out; times in company time (Asia/Shanghai).
//
// Prices are printed only when the order came with them (`o.pricesVisible`, the reader's right):
// the copy filed into the archive is read by everyone who may read the archive, a wider circle
// than `priceRoles`, so it is rendered without prices and says where they are (the order itself,
// audited). The prices stay the company's record in the order and its history.

const at = (v: string | null | undefined) =>
  !v ? '' : /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : formatDateTime(v).slice(0, 16);
const row = (...fields: [string, string | null | undefined][]): FormField[] =>
  fields.map(([label, value]) => ({ label, value }));
/** Short answers for the matrix cells (明确并满足 is the common case; an issue stands out). */
const SHORT: Record<string, string> = { ok: '满足', issue: '有问题', na: '不适用' };
/** Departments side by side in the checklist matrix before it continues in a second table. */
const MATRIX_DEPARTMENTS = 6;

export interface RecordPdfOptions {
  company?: string;
  printedAt: Date;
  attachments: OrderFile[];
  /** The 档号 once filed. */
  archiveNo?: string | null;
}

export async function orderRecordPdf(o: Order, opts: RecordPdfOptions): Promise<Uint8Array> {
  const prices = o.pricesVisible;
  const newProduct = o.classReasons.some((r) => r.code === 'new_part');
  const title =
    o.kind === 'contract' || o.kind === 'annual' || o.kind === 'tender'
      ? '合同评审记录表'
      : newProduct
        ? '新产品订单评审记录表'
        : o.class === 'regular'
          ? '常规产品订单评审记录表'
          : '订单评审记录表';
  const sections: FormSection[] = [
    {
      heading: '一、订单/合同信息',
      blocks: [
        {
          fields: [
            row(['订单编号', o.number], ['客户订单号', o.customerPo], ['类型', ORDER_KIND_LABELS[o.kind].zh]),
            row(['客户名称', o.customer.name], ['客户编号', o.customer.code]),
            row(
              ['接收方式', ORDER_CHANNEL_LABELS[o.receivedVia].zh],
              ['接收日期', o.receivedOn],
              ['币种', o.currency],
            ),
            row(['付款条件', o.paymentTerms], ['包装要求', o.packaging]),
            row(['交付方式', o.deliveryMethod], ['交付地点', o.deliveryPlace]),
            ...(o.phoneMemo
              ? [
                  row([
                    '电话纪要',
                    `${o.phoneMemo.caller}，${at(o.phoneMemo.calledAt)}：${o.phoneMemo.agreed}`,
                  ]),
                  row(
                    ['客户书面确认', o.confirmationNeeded ? '需要' : '不需要'],
                    ['确认日期', o.confirmationReceivedOn ?? (o.confirmationNeeded ? '未收到' : '')],
                  ),
                ]
              : []),
            ...(o.remarks ? [row(['备注', o.remarks])] : []),
          ],
        },
      ],
    },
    {
      heading: '二、产品明细',
      blocks: [linesTable(o, prices)],
    },
    {
      heading: '三、合同类型判定',
      blocks: [
        {
          fields: [
            row(
              ['系统建议', ORDER_CLASS_LABELS[o.proposedClass].zh],
              ['判定结果', ORDER_CLASS_LABELS[o.class].zh],
              ['评审路线', o.route ? ORDER_ROUTE_LABELS[o.route].zh : ''],
            ),
            row(['判定理由', reasonsText(o)]),
            ...(o.classOverride
              ? [
                  row(
                    ['改判理由', o.classOverride.reason],
                    ['改判人', `${o.classOverride.by?.name ?? ''} ${at(o.classOverride.at)}`],
                  ),
                ]
              : []),
            row(
              ['提交评审', `${o.submittedBy?.name ?? ''} ${at(o.submittedAt)}`.trim()],
              ['交期风险', o.leadTimeAtRisk ? '承诺交期早于标准交货周期' : '无'],
            ),
          ],
        },
      ],
    },
    {
      heading: '四、各部门评审（会签）',
      blocks: reviewBlocks(o),
    },
    {
      heading: '五、财务核价',
      blocks: [pricingBlock(o, prices)],
    },
    {
      heading: '六、附件',
      blocks: [
        {
          table: {
            columns: [
              { header: '类别', width: 14 },
              { header: '文件名', width: 34 },
              { header: '部门', width: 10 },
              { header: '上传人', width: 9 },
              { header: '上传时间', width: 14 },
            ],
            rows: opts.attachments.map((f) => [
              ORDER_FILE_KIND_LABELS[f.kind].zh,
              f.name,
              f.department?.name ?? '',
              f.createdBy?.name ?? '',
              at(f.createdAt),
            ]),
            empty: '无附件',
          },
        },
      ],
    },
    {
      heading: '七、签批',
      blocks: [{ fields: approvalFields(o, opts.archiveNo) }],
    },
  ];
  return formPdf({
    title,
    company: opts.company,
    meta: { left: `编号：${o.number}`, right: `打印时间：${at(opts.printedAt.toISOString())}` },
    mark: o.secrecy === 'normal' ? null : SECRECY_LABELS[o.secrecy].zh,
    sections,
    runningHead: `${title} ${o.number} ${o.customer.name}`,
    footer: `${opts.company ?? '客档 Kedang'} · ${o.number}`,
  });
}

function linesTable(o: Order, prices: boolean): FormBlock {
  const columns: PdfColumn[] = [
    { header: '行', width: 3, align: 'center' },
    { header: '料号', width: 11 },
    { header: '品名', width: 10 },
    { header: '规格', width: 12 },
    { header: '数量', width: 7, align: 'right' },
    { header: '单位', width: 4, align: 'center' },
    ...(prices
      ? ([
          { header: '单价', width: 6, align: 'right' },
          { header: '金额', width: 9, align: 'right' },
        ] as PdfColumn[])
      : []),
    { header: '要求交期', width: 10 },
    { header: '承诺交期', width: 10 },
  ];
  const rows = o.lines.map((l) => [
    String(l.lineNo),
    l.partNumber,
    l.product,
    l.specification ?? '',
    l.quantity,
    l.unit,
    ...(prices ? [l.unitPrice ?? '', l.amount ?? ''] : []),
    l.requestedOn,
    l.promisedOn ?? '',
  ]);
  if (prices && o.totalAmount !== null)
    rows.push(['', '合计', '', '', '', '', '', `${o.totalAmount} ${o.currency}`, '', '']);
  return { table: { columns, rows, empty: '无明细' } };
}

function reasonsText(o: Order): string {
  if (!o.classReasons.length) return '库存或重复订购产品，交期在标准周期内';
  return o.classReasons
    .map((r) => {
      const facts = [
        r.partNumbers.length ? `料号 ${r.partNumbers.join('、')}` : '',
        r.requirements.length ? r.requirements.map((q) => `${q.number} ${q.title}`).join('、') : '',
      ].filter(Boolean);
      return facts.length ? `${r.label}（${facts.join('；')}）` : r.label;
    })
    .join('；');
}

function reviewBlocks(o: Order): FormBlock[] {
  if (!o.reviews.length)
    return [
      {
        fields: [
          row([
            '评审',
            o.route === 'sales' ? '常规合同，库存或产能内，由销售部门直接签署（无须部门评审）' : '无',
          ]),
        ],
      },
    ];
  const blocks: FormBlock[] = [];
  // The department summary: decision, condition, comment, who and when.
  blocks.push({
    table: {
      columns: [
        { header: '评审部门', width: 10 },
        { header: '结论', width: 9, align: 'center' },
        { header: '条件 / 意见', width: 31 },
        { header: '评审人', width: 13 },
        { header: '日期', width: 13 },
      ],
      rows: o.reviews.map((v) => [
        v.department.name,
        v.decision ? ORDER_REVIEW_DECISION_LABELS[v.decision].zh : '未评审',
        [v.condition ? `条件：${v.condition}` : '', v.comment ? `意见：${v.comment}` : '']
          .filter(Boolean)
          .join('\n'),
        v.reviewedBy?.name ?? '',
        at(v.reviewedAt),
      ]),
    },
  });
  // The checklist as the paper form has it: items down, departments across.
  const items = o.reviews[0]?.checklist.map((c) => ({ code: c.code, label: c.label })) ?? [];
  const answered = o.reviews.filter((v) => v.checklist.some((c) => c.answer));
  for (let i = 0; i < answered.length; i += MATRIX_DEPARTMENTS) {
    const group = answered.slice(i, i + MATRIX_DEPARTMENTS);
    const width = Math.max(6, Math.floor(36 / group.length));
    blocks.push({
      table: {
        columns: [
          { header: '评审内容', width: 30 },
          ...group.map((v): PdfColumn => ({ header: v.department.name, width, align: 'center' })),
        ],
        rows: items.map((item) => [
          item.label,
          ...group.map((v) => {
            const a = v.checklist.find((c) => c.code === item.code)?.answer;
            return a ? (SHORT[a] ?? CHECKLIST_ANSWER_LABELS[a].zh) : '';
          }),
        ]),
      },
    });
  }
  // Notes on items (an issue, a remark) in full.
  const notes = o.reviews.flatMap((v) =>
    v.checklist
      .filter((c) => c.note || c.answer === 'issue')
      .map((c) => [
        v.department.name,
        c.label,
        c.answer ? CHECKLIST_ANSWER_LABELS[c.answer].zh : '',
        c.note ?? '',
      ]),
  );
  if (notes.length)
    blocks.push({
      table: {
        columns: [
          { header: '部门', width: 9 },
          { header: '评审内容', width: 24 },
          { header: '结论', width: 9 },
          { header: '说明', width: 30 },
        ],
        rows: notes,
      },
    });
  return blocks;
}

function pricingBlock(o: Order, prices: boolean): FormBlock {
  if (!prices)
    return {
      fields: [row(['核价', `单价、金额及财务核价按权限查看，见系统订单 ${o.number}（查看记入审计日志）`])],
    };
  const finance = o.reviews.filter((v) => (v.pricing?.length ?? 0) > 0);
  const partOf = (lineNo: number) => o.lines.find((l) => l.lineNo === lineNo);
  const rows = finance.flatMap((v) =>
    (v.pricing ?? []).map((p) => [
      v.department.name,
      String(p.lineNo),
      partOf(p.lineNo)?.partNumber ?? '',
      partOf(p.lineNo)?.unitPrice ?? '',
      p.unitPrice,
    ]),
  );
  return {
    table: {
      columns: [
        { header: '核价部门', width: 10 },
        { header: '行', width: 4, align: 'center' },
        { header: '料号', width: 14 },
        { header: '订单单价', width: 10, align: 'right' },
        { header: '核定单价', width: 10, align: 'right' },
      ],
      rows,
      empty: '无须核价',
    },
  };
}

function approvalFields(o: Order, archiveNo: string | null | undefined): FormField[][] {
  const a = o.approval;
  const status = ORDER_STATUS_LABELS[o.status].zh;
  if (!a)
    return [
      row(['状态', status], ['签署人', o.signerRole ? `待${ORDER_SIGNER_LABELS[o.signerRole].zh}签署` : '']),
      ...(o.cancelled ? [row(['取消原因', o.cancelled.reason], ['取消日期', at(o.cancelled.at)])] : []),
    ];
  return [
    row(
      ['签署结论', a.decision === 'accept' ? '接受' : '不接受'],
      ['签署人', `${a.by?.name ?? ''}（${ORDER_SIGNER_LABELS[a.role].zh}）`],
      ['签署日期', at(a.at)],
    ),
    ...(a.comment ? [row(['签署意见', a.comment])] : []),
    ...(a.overruleReason ? [row(['否决不接受意见的理由', a.overruleReason])] : []),
    ...(a.creditVerdict && a.creditVerdict !== 'ok' ? [row(['信用检查', a.creditVerdict])] : []),
    row(['状态', status], ['档号', archiveNo ?? '']),
  ];
}
