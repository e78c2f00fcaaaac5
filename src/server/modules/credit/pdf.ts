import {
  CLASS_REASON_LABELS,
  CREDIT_REQUEST_STATUS_LABELS,
  INVESTIGATION_KIND_LABELS,
  INVESTIGATION_SOURCE_LABELS,
} from '../../../common/credit.js';
import { CREDIT_CLASS_LABELS } from '../../../common/customers.js';
import { SECRECY_LABELS, secrecyFromRank } from '../../../common/enums.js';
import type { CreditCard } from '../../../common/schemas/credit.js';
import { formatDateTime } from '../../../common/time.js';
import { appendAudit } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { companyName } from '../../platform/organisation.js';
import { type FormField, type FormSection, formPdf } from '../../platform/pdf-form.js';
import { type CreditCustomer, type CreditReader, creditReader, loadCustomer } from './access.js';
import { getCredit, loadInvestigation } from './service.js';

// The printed papers of seed 004: the 客户信用调查表 (one 信用调查 with the customer's credit as it
// stands — class, proposal, and the amounts only for readers who may see them) and the 客户交易卡
// of an admission (第十条 (6): every item filled, the trading conditions, the limit requested and
// the sales director's decision). Both carry the archive's secrecy on every page; printing is
// audited.

const row = (...fields: [string, string | null | undefined][]): FormField[] =>
  fields.map(([label, value]) => ({ label, value: value ?? '' }));
const yes = (v: boolean | null) => (v === null ? '未查明' : v ? '是' : '否');
const money = (v: string | null, visible: boolean) => (visible ? (v ?? '未设定') : '（无权查看金额）');

function creditSection(card: CreditCard): FormSection {
  const a = card.amountsVisible;
  return {
    heading: '信用状况',
    blocks: [
      {
        fields: [
          row(
            ['信用等级', card.creditClass ? CREDIT_CLASS_LABELS[card.creditClass].zh : '未定'],
            ['系统建议', CREDIT_CLASS_LABELS[card.proposal.proposed].zh],
          ),
          row(['建议依据', card.proposal.reasons.map((x) => CLASS_REASON_LABELS[x].zh).join('；')]),
          row(['信用限度', money(card.creditLimit, a)], ['信用余额', money(card.exposure, a)]),
          row(
            ['赊销款', money(card.receivables, a)],
            ['未结算票据', money(card.unsettledBills, a)],
            ['余额日期', card.balanceAsOf ?? '无'],
          ),
          row(
            ['占用比例', card.share === null ? '—' : `${card.share}%`],
            ['暂停供货', card.suspended ? `是（${card.suspended.reason ?? ''}）` : '否'],
          ),
        ],
      },
    ],
  };
}

function secrecyMark(secrecy: number): string | null {
  const level = secrecyFromRank(secrecy);
  return level === 'normal' ? null : SECRECY_LABELS[level].zh;
}

/** The form printed for the reader, marked with the archive's secrecy; the print audited. */
async function printForm(
  r: CreditReader,
  c: CreditCustomer,
  title: string,
  sections: FormSection[],
  details: Record<string, unknown>,
): Promise<Uint8Array> {
  const pdf = await formPdf({
    title,
    company: await companyName(r.ctx.db),
    meta: {
      left: `档案编号：${c.archive_code}`,
      right: `打印时间：${formatDateTime(r.ctx.now().toISOString()).slice(0, 16)}`,
    },
    mark: secrecyMark(c.secrecy),
    sections,
    runningHead: `${title} ${c.name}`,
    footer: `${title} · ${c.archive_code}`,
  });
  await appendAudit(r.ctx, {
    action: 'credit.print',
    targetType: 'customer',
    targetId: c.id,
    targetLabel: `${c.archive_code} ${c.name}`,
    secrecy: c.secrecy,
    details,
  });
  return pdf;
}

/** 客户信用调查表 of one investigation. */
export async function investigationPdf(
  ctx: Ctx,
  investigationId: string,
): Promise<{ pdf: Uint8Array; name: string }> {
  const r = await creditReader(ctx);
  const { inv, c } = await loadInvestigation(r, r.ctx.db, investigationId);
  const card = await getCredit(ctx, c.id);
  const i = card.investigations.find((x) => x.id === investigationId);
  if (!i) throw notFound();
  const title = '客户信用调查表';
  const sections: FormSection[] = [
    {
      heading: '客户',
      blocks: [
        {
          fields: [
            row(['客户名称', c.name], ['档案编号', c.archive_code]),
            row(
              ['报告类别', INVESTIGATION_KIND_LABELS[i.kind].zh],
              ['调查日期', i.investigatedOn],
              ['调查人', i.createdBy?.name],
            ),
            row(['调查途径', i.sources.map((s) => INVESTIGATION_SOURCE_LABELS[s].zh).join('、') || '—']),
          ],
        },
      ],
    },
    {
      heading: '调查内容',
      blocks: [
        {
          fields: [
            row(['经营者', i.management]),
            row(['企业内部状况', i.internal]),
            row(['资金筹措', i.funding]),
            row(['支付情况', i.payment]),
            row(
              ['成立日期', i.foundedOn ?? '未查明'],
              ['员工人数', i.staffCount === null ? '未查明' : String(i.staffCount)],
            ),
            row(['中间批发商', yes(i.wholesaler)], ['不守信用记录', yes(i.pastDefault)]),
            row(['调查结论', i.conclusion]),
            row(['附件', i.files.map((f) => f.name).join('、') || '无']),
          ],
        },
      ],
    },
    creditSection(card),
    {
      heading: '审核',
      blocks: [{ fields: [row(['主管上司意见', '']), row(['签字', ''], ['日期', ''])] }],
    },
  ];
  const pdf = await printForm(r, c, title, sections, {
    form: 'investigation',
    investigationId: inv.id,
    amounts: card.amountsVisible,
  });
  return { pdf, name: `${c.archive_code}-客户信用调查表-${i.investigatedOn}.pdf` };
}

/** 客户交易卡 of one admission. */
export async function tradingCardPdf(
  ctx: Ctx,
  admissionId: string,
): Promise<{ pdf: Uint8Array; name: string }> {
  const r = await creditReader(ctx);
  const a0 = await r.ctx.db
    .selectFrom('credit_admissions')
    .select(['customer_id'])
    .where('id', '=', admissionId)
    .executeTakeFirst();
  if (!a0) throw notFound();
  const c = await loadCustomer(r, a0.customer_id);
  const card = await getCredit(ctx, c.id);
  const a = card.admissions.find((x) => x.id === admissionId);
  if (!a) throw notFound();
  const k = a.card;
  const title = '客户交易卡';
  const sections: FormSection[] = [
    {
      heading: '客户概况',
      blocks: [
        {
          fields: [
            row(['名称', c.name], ['档案编号', c.archive_code]),
            row(['总部所在地', k.headquarters], ['交易对象所在地', k.tradingSite]),
            row(['通讯联络地址', k.address], ['公司网址', k.website ?? '无']),
            row(['开业时间', k.openedOn], ['资本额', k.capital]),
            row(['员工人数', String(k.staffCount)], ['管理者人数', String(k.managerCount)]),
            row(['设备和不动产', k.assets]),
            row(['经营者年龄结构', k.managerAges]),
          ],
        },
      ],
    },
    {
      heading: '交易条件',
      blocks: [
        {
          fields: [
            row(['付款条件', a.paymentTerms]),
            row(['附加条件', a.conditions ?? '无']),
            row(['信用限度申请额', money(a.requestedLimit, card.amountsVisible)]),
          ],
        },
      ],
    },
    {
      heading: '审批',
      blocks: [
        {
          fields: [
            row(['申请人', a.requestedBy?.name], ['申请时间', formatDateTime(a.requestedAt).slice(0, 16)]),
            row(
              ['销售总监审批', CREDIT_REQUEST_STATUS_LABELS[a.status].zh],
              ['审批人', a.decidedBy?.name ?? ''],
              ['审批时间', a.decidedAt ? formatDateTime(a.decidedAt).slice(0, 16) : ''],
            ),
            row(['审批意见', a.comment ?? '']),
          ],
        },
      ],
    },
  ];
  const pdf = await printForm(r, c, title, sections, {
    form: 'trading_card',
    admissionId,
    amounts: card.amountsVisible,
  });
  return { pdf, name: `${c.archive_code}-客户交易卡.pdf` };
}
