import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { Case } from '../../../common/schemas/cases.js';
import { expectGlyphsDrawn, expectRead, ocrPdf } from '../../test-support/pdf-check.js';
import { type CaseAction, caseRecordPdf, eightDPdf } from './pdf.js';

// The papers of a case (R-Q4, R-Q5) read back as a person reads them: rendered and OCR'd, and
// every glyph drawn checked against the embedded font.

const person = (id: string, name: string) => ({ id, name });
const ANALYSIS = [
  '经对客户退回的 12 件样品逐件拆解检查，发现密封圈压缩量不足，装配后在高温工况下出现渗漏。',
  '追溯生产记录：2026-09-12 夜班更换了压装工装，首件检验未覆盖压缩量尺寸，操作者按旧参数作业。',
  '同批次库存 480 件抽检 80 件，其中 6 件压缩量低于图纸下限 0.15 mm，判定为制造原因。',
  '进一步确认：来料密封圈尺寸合格，运输包装完好，客户装配与使用方法符合说明书要求。',
  '五个为什么分析：',
  ...[
    '为什么渗漏？密封圈压缩量不足，唇口与轴之间存在间隙，高温下润滑油沿间隙渗出。',
    '为什么压缩量不足？新压装工装的压入深度比旧工装浅 0.2 mm，压装后密封圈未到位。',
    '为什么压入深度变浅？新工装按旧图纸制作，图纸未体现 2026 年 6 月的设计变更。',
    '为什么图纸未更新？设计变更通知只发到了工艺科，工装车间未列入分发范围。',
    '为什么分发范围遗漏？变更分发清单由人工填写，没有按受影响工序自动带出。',
  ].flatMap((why, i) => [`${i + 1}. ${why}`, '验证：现场复现并测量确认，记录见附件。']),
  '结论：根本原因为设计变更分发遗漏导致工装错误，属制造过程控制问题。',
  ...Array.from(
    { length: 12 },
    (_, i) =>
      `附：第 ${i + 1} 批次（批号 B2609${String(i + 1).padStart(2, '0')}）压缩量抽检记录已核对，结果见质量部台账。`,
  ),
  '最后一段：已将本案例纳入新员工培训教材。',
].join('\n');

function complaint(over: Partial<Case> = {}): Case {
  return {
    id: 'c1',
    number: 'TS202609-0007',
    kind: 'complaint',
    type: 'quality',
    typeLabel: '质量',
    status: 'closed',
    outcome: 'justified',
    severity: 'serious',
    customer: { id: 'k1', name: '江苏恒达汽车部件有限公司', code: 'GY20260005' },
    content:
      '贵司 9 月交付的 HD-2231 型油封在我司总装线上出现渗漏，已影响两台整车下线，请尽快派人到现场处理并说明原因。',
    product: '油封总成',
    receivedAt: '2026-09-30T08:00:00.000Z',
    handler: person('u2', '李建华'),
    secrecy: 'normal',
    clocks: [
      {
        clock: 'investigate',
        dueDate: '2026-10-08',
        dueAt: '2026-10-08T09:30:00.000Z',
        metAt: '2026-10-08T02:10:00.000Z',
        state: 'met',
        workingDaysLeft: null,
        hoursLeft: null,
      },
      {
        clock: 'reply',
        dueDate: '2026-10-09',
        dueAt: '2026-10-09T09:30:00.000Z',
        metAt: '2026-10-10T03:00:00.000Z',
        state: 'late',
        workingDaysLeft: null,
        hoursLeft: null,
      },
    ],
    subtype: '渗漏',
    contact: { id: null, name: '王志强', phone: '0519-86001234' },
    channel: 'phone',
    partNumber: 'HD-2231-A',
    orderRef: 'PO-2026-0815',
    quantity: 12,
    demand: '更换整批油封，并提交 8D 报告。',
    receiver: person('u1', '周丽'),
    department: { id: 'd1', name: '销售部' },
    ownSecrecy: 'normal',
    responsible: person('u4', '赵磊'),
    responsibleDepartment: { id: 'd3', name: '生产部' },
    triage: { by: person('u3', '陈质量'), at: '2026-09-30T09:00:00.000Z', note: '客户现场照片确认渗漏。' },
    handlingDepartment: { id: 'd2', name: '质量部' },
    investigation: {
      causeCategory: 'manufacturing',
      analysis: ANALYSIS,
      containment: '冻结库存 480 件，全检后发货；客户处在线品由我司派人挑选。',
      solution: '压装工装增加压缩量限位，首件检验增加压缩量测量项。',
      verification: '连续三批抽检压缩量全部合格，客户端无再发。',
      verifiedBy: person('u3', '陈质量'),
      verifiedAt: '2026-10-20T06:00:00.000Z',
    },
    return: { quantity: 12, disposition: 'exchange', receivedOn: '2026-10-09', note: '已换新件。' },
    reply: {
      text: '已查明原因并换货，详见 8D 报告。',
      way: 'email',
      by: person('u2', '李建华'),
      at: '2026-10-10T03:00:00.000Z',
    },
    resolvedAt: '2026-10-20T06:00:00.000Z',
    revisit: {
      role: 'quality',
      due: '2026-10-27',
      by: person('u3', '陈质量'),
      at: '2026-10-22T02:00:00.000Z',
      way: 'phone',
      opinion: 'satisfied',
      comment: '处理及时，希望后续加强出厂检验。',
    },
    closedAt: '2026-10-22T02:00:00.000Z',
    document: null,
    files: [],
    actions: [],
    events: [
      {
        at: '2026-09-30T08:00:00.000Z',
        kind: 'received',
        label: '受理登记',
        actor: person('u1', '周丽'),
        note: null,
      },
      {
        at: '2026-09-30T09:00:00.000Z',
        kind: 'triaged_justified',
        label: '判定成立，分派处理',
        actor: person('u3', '陈质量'),
        note: '客户现场照片确认渗漏。',
      },
      {
        at: '2026-10-10T03:00:00.000Z',
        kind: 'replied',
        label: '答复客户',
        actor: person('u2', '李建华'),
        note: null,
      },
    ],
    can: {
      update: false,
      triage: false,
      dispatch: false,
      reassign: false,
      handle: false,
      reply: false,
      resolve: false,
      revisit: false,
    },
    ...over,
  };
}

const actions: CaseAction[] = [
  {
    kind: 'containment',
    description: '冻结库存并全检',
    owner: '李建华',
    dueDate: '2026-10-08',
    status: 'done',
  },
  {
    kind: 'corrective',
    description: '压装工装增加压缩量限位块',
    owner: '赵磊',
    dueDate: '2026-10-15',
    status: 'verified',
    result: '限位块已安装，试压 50 件全部合格',
    verification: '连续三批抽检合格',
  },
  {
    kind: 'preventive',
    description: '修订首件检验规程，增加压缩量测量',
    owner: '陈质量',
    dueDate: '2026-10-30',
    status: 'open',
  },
];

const printedAt = new Date('2026-10-22T03:04:00.000Z');

describe('客户投诉记录表 (R-Q5)', () => {
  it('prints every part of the case, the long analysis running onto a second page', async (ctx) => {
    const pdf = await caseRecordPdf(complaint(), { company: '常州恒通密封件有限公司', printedAt });
    expect((await PDFDocument.load(pdf)).getPageCount()).toBeGreaterThanOrEqual(2);
    const drawn = await expectGlyphsDrawn(pdf);
    expect(drawn).toContain('压缩量低于图纸下限 0.15 mm');
    expect(drawn).not.toContain('机密');
    const pages = await ocrPdf(ctx, pdf);
    const all = pages.join('');
    expectRead(pages[0] as string, '客户投诉记录表', 1);
    expectRead(pages[0] as string, 'TS202609-0007');
    expectRead(all, '江苏恒达汽车部件有限公司', 2);
    expectRead(all, '临时措施', 1);
    expectRead(all, '制造原因', 1);
    // Received 08:00 UTC is 16:00 in Shanghai.
    expectRead(all, '2026-09-30 16:00');
    expectRead(all, '超期', 0);
    // The analysis does not fit on the first page: it goes on under its label on the next.
    expectRead(pages[0] as string, '五个为什么分析', 1);
    expectRead(pages[1] as string, '原因分析', 1);
    expectRead(pages[1] as string, '(续)', 0);
    expectRead(pages[1] as string, '最后一段:已将本案例纳入新员工培训教材', 2);
    expectRead(pages[1] as string, '第2页共', 0);
  });

  it('is titled 客户服务记录表 for a service request, and marks a 机密 case 机密', async (ctx) => {
    const pdf = await caseRecordPdf(
      complaint({ kind: 'service', number: 'FW202609-0003', secrecy: 'confidential', outcome: null }),
      { printedAt },
    );
    const pages = await ocrPdf(ctx, pdf);
    expectRead(pages[0] as string, '客户服务记录表', 1);
    expectRead(pages[0] as string, 'FW202609-0003');
    for (const page of pages) expectRead(page, '机密', 0);
  });

  it('prints a case just received, and repeats the header of the history on every page it runs over', async () => {
    const received = complaint({
      status: 'new',
      outcome: null,
      handler: null,
      subtype: null,
      contact: { id: null, name: null, phone: null },
      triage: { by: null, at: null, note: null },
      handlingDepartment: null,
      investigation: {
        causeCategory: null,
        analysis: null,
        containment: null,
        solution: null,
        verification: null,
        verifiedBy: null,
        verifiedAt: null,
      },
      return: { quantity: null, disposition: null, receivedOn: null, note: null },
      reply: { text: null, way: null, by: null, at: null },
      resolvedAt: null,
      revisit: { role: null, due: null, by: null, at: null, way: null, opinion: null, comment: null },
      closedAt: null,
      clocks: [],
      events: Array.from({ length: 90 }, (_, i) => ({
        at: new Date(Date.UTC(2026, 8, 30, 8, i)).toISOString(),
        kind: 'updated' as const,
        label: '修改登记信息',
        actor: person('u1', '周丽'),
        note: `第 ${i + 1} 次修改`,
      })),
    });
    const pdf = await caseRecordPdf(received, { printedAt });
    const pages = (await PDFDocument.load(pdf)).getPageCount();
    expect(pages).toBeGreaterThanOrEqual(3);
    const drawn = await expectGlyphsDrawn(pdf);
    expect(drawn).toContain('第 90 次修改');
    // Each page the history runs over has its heading (marked （续） after the first) and header.
    const count = (s: string) => drawn.split(s).length - 1;
    expect(count('八、处理记录（续）')).toBeGreaterThanOrEqual(1);
    expect(count('时间事项操作人备注')).toBe(count('八、处理记录'));
  });
});

describe('8D 报告 (R-Q4)', () => {
  it('prints D1 to D8 with the containment, the root cause and the actions', async (ctx) => {
    const pdf = await eightDPdf(complaint({ secrecy: 'confidential' }), actions, { printedAt });
    const drawn = await expectGlyphsDrawn(pdf);
    expect(drawn).toContain('压装工装增加压缩量限位块');
    const all = (await ocrPdf(ctx, pdf)).join('');
    expectRead(all, '8D 报告', 1);
    expectRead(all, 'TS202609-0007');
    expectRead(all, '机密', 0);
    for (const heading of ['D3临时措施', 'D4根本原因', 'D5永久纠正措施', 'D7预防措施', 'D8结案'])
      expectRead(all, heading, 1);
    expectRead(all, '冻结库存480件', 1);
    expectRead(all, '修订首件检验规程', 1);
    expectRead(all, '限位块已安装', 1);
  });
});
