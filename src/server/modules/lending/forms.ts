import { SECRECY_LABELS, secrecyFromRank, secrecyRank } from '../../../common/enums.js';
import {
  CONDITION_LABELS,
  LENDING_MODE_LABELS,
  PURPOSE_LABELS,
  REQUEST_STATUS_LABELS,
} from '../../../common/lending.js';
import { formatDateTime } from '../../../common/time.js';
import { appendAudit } from '../../platform/audit/chain.js';
import type { Ctx } from '../../platform/context.js';
import { companyName } from '../../platform/organisation.js';
import { type FormField, formPdf } from '../../platform/pdf-form.js';
import { findRequest, getRequest, requestSecrecy } from './requests.js';

// 借阅申请单 (R-P3) printed from the request: who asks, for what, how long, the items with their
// level and loan, and each approval step with who decided when and what they said. The highest
// level of its items is marked on every page; printing is audited. (借阅登记表 is register.ts.)

const row = (...fields: [string, string | null | undefined][]): FormField[] =>
  fields.map(([label, value]) => ({ label, value: value ?? '' }));
const decisions = { approve: '同意', reject: '不同意', return: '退回修改' } as const;

export async function requestFormPdf(ctx: Ctx, id: string): Promise<{ pdf: Uint8Array; name: string }> {
  const req = await getRequest(ctx, id);
  const secrecy = Math.max(
    await requestSecrecy(ctx.db, await findRequest(ctx.db, id)),
    ...req.items.map((i) => secrecyRank(i.secrecy)),
  );
  const level = secrecyFromRank(secrecy);
  const title = '借阅申请单';
  const pdf = await formPdf({
    title,
    company: await companyName(ctx.db),
    meta: {
      left: `借阅单号：${req.number}`,
      right: `打印时间：${formatDateTime(ctx.now().toISOString()).slice(0, 16)}`,
    },
    mark: level === 'normal' ? null : SECRECY_LABELS[level].zh,
    sections: [
      {
        heading: '申请',
        blocks: [
          {
            fields: [
              row(
                ['申请人', req.requester.name],
                ['部门', req.requester.departmentName],
                ['申请日期', formatDateTime(req.createdAt).slice(0, 10)],
              ),
              row(
                ['借阅方式', LENDING_MODE_LABELS[req.mode].zh],
                ['用途', PURPOSE_LABELS[req.purpose].zh],
                ['借阅天数', `${req.days} 天`],
              ),
              row(
                ['起止日期', req.startDate ? `${req.startDate} 至 ${req.endDate ?? ''}` : '批准后起算'],
                ['状态', REQUEST_STATUS_LABELS[req.status].zh],
              ),
              ...(req.external
                ? [
                    row(
                      ['外单位', req.external],
                      ['联系人', req.externalPerson],
                      ['介绍信', req.letterName ?? '未上传'],
                    ),
                  ]
                : []),
              row(['借阅理由', req.reason]),
              ...(req.renewalOf ? [row(['续借', `原借阅单 ${req.renewalOf.number}`])] : []),
            ],
          },
        ],
      },
      {
        heading: '借阅档案',
        blocks: [
          {
            table: {
              columns: [
                { header: '序号', width: 0.5 },
                { header: '档案/文件', width: 3 },
                { header: '档号/档案编号', width: 2.4 },
                { header: '密级', width: 0.7 },
                { header: '应还日期', width: 1.1 },
                { header: '归还', width: 1.6 },
              ],
              rows: req.items.map((i, n) => [
                String(n + 1),
                i.label,
                i.code ?? '',
                SECRECY_LABELS[i.secrecy].zh,
                i.loan?.dueDate ?? '',
                i.loan?.returnedAt
                  ? `${formatDateTime(i.loan.returnedAt).slice(0, 10)} ${i.loan.conditionIn ? CONDITION_LABELS[i.loan.conditionIn].zh : ''}`
                  : '',
              ]),
            },
          },
        ],
      },
      {
        heading: '审批',
        blocks: [
          {
            table: {
              columns: [
                { header: '审批环节', width: 1.4 },
                { header: '审批人', width: 1 },
                { header: '意见', width: 1 },
                { header: '日期', width: 1.4 },
                { header: '说明', width: 3 },
              ],
              rows: req.steps.map((s) => [
                s.label,
                s.by?.name ?? '',
                s.decision ? decisions[s.decision] : '待审批',
                s.at ? formatDateTime(s.at).slice(0, 16) : '',
                s.comment ?? '',
              ]),
              empty: '无需审批',
            },
          },
        ],
      },
      {
        heading: '借出与归还（档案管理员）',
        blocks: [
          { fields: [row(['借出经办人', ''], ['借出日期', '']), row(['归还验收人', ''], ['归还日期', ''])] },
        ],
      },
    ],
    runningHead: `${title} ${req.number}`,
    footer: `${title} · ${req.number}`,
  });
  await appendAudit(ctx, {
    action: 'lending.print',
    targetType: 'access_request',
    targetId: req.id,
    targetLabel: req.number,
    secrecy,
    details: { form: title },
  });
  return { pdf, name: `${title}-${req.number}.pdf` };
}
