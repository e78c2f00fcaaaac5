import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SURVEY_TEMPLATES } from '../../../common/surveys.js';
import { expectGlyphsDrawn, expectRead, ocrPdf } from '../../test-support/pdf-check.js';
import { type FilledForm, filledFormPdf } from './pdf.js';

// The filled 顾客满意度调查表 (R-V3) read back as a person reads it: rendered and OCR'd, and every
// glyph drawn checked against the embedded font.

const printedAt = new Date('2026-11-20T02:00:00.000Z');

function form(over: Partial<FilledForm> = {}): FilledForm {
  const template = DEFAULT_SURVEY_TEMPLATES[0];
  if (!template) throw new Error('no default template');
  return {
    responseId: 'r1',
    title: template.name,
    templateVersion: 1,
    campaign: { number: 'MY2026-0003', name: '2026 年度顾客满意度调查', periodLabel: '2026' },
    customer: { id: 'k1', name: '江苏恒达汽车部件有限公司', code: 'GY20260005' },
    contactName: '王志强',
    channel: 'phone',
    enteredBy: '周丽',
    department: '销售一部',
    owner: '李建华',
    answeredOn: '2026-11-18',
    answeredAt: '2026-11-18T06:30:00.000Z',
    questions: template.questions,
    answers: new Map([
      ['attitude', { level: 'very_satisfied', score: 100, text: null }],
      ['skill', { level: 'satisfied', score: 80, text: null }],
      ['timeliness', { level: 'average', score: 60, text: null }],
      ['promises', { level: 'poor', score: 0, text: null }],
      ['overall', { level: 'satisfied', score: 80, text: null }],
      ['suggestions', { level: null, score: null, text: '希望缩短备件到货时间，售后响应再快一些。' }],
    ]),
    index: 60,
    overall: 'satisfied',
    secrecy: 'normal',
    ...over,
  };
}

describe('the filled satisfaction form (R-V3)', () => {
  it('prints the customer, the campaign and each question with its level ticked', async (ctx) => {
    const pdf = await filledFormPdf(form(), {
      company: '常州恒通密封件有限公司',
      printedAt,
      archiveNo: null,
    });
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(1);
    const drawn = await expectGlyphsDrawn(pdf);
    // Each rating row: its label, the tick under the chosen level's column, the level, the score.
    expect(drawn).toContain('服务态度');
    expect(drawn).not.toContain('机密');
    const [page] = await ocrPdf(ctx, pdf);
    const text = page as string;
    expectRead(text, '顾客满意度调查表', 1);
    expectRead(text, '常州恒通密封件有限公司', 2);
    expectRead(text, '江苏恒达汽车部件有限公司', 2);
    expectRead(text, 'MY2026-0003');
    expectRead(text, '2026-11-18');
    // The row of each question reads: label, the tick (√, often read as V), the level, the score.
    expectRead(text, '服务态度√非常满意100', 2);
    expectRead(text, '技术水平√满意80', 2);
    expectRead(text, '到达及时性√一般60', 2);
    expectRead(text, '承诺事项办理√较差0', 2);
    expectRead(text, '满意度指数|60', 1);
    expectRead(text, '希望缩短备件到货时间', 1);
    // Answered 06:30 UTC is 14:30 in Shanghai.
    expectRead(text, '2026-11-18 14:30');
  });

  it('marks the form of a 机密 archive 机密 and leaves an unanswered question unticked', async (ctx) => {
    const answers = form().answers;
    answers.delete('suggestions');
    answers.set('timeliness', { level: null, score: null, text: null });
    const pdf = await filledFormPdf(form({ secrecy: 'confidential', answers }), {
      printedAt,
      archiveNo: 'WS-2026-D10-0012',
    });
    const [page] = await ocrPdf(ctx, pdf);
    const text = page as string;
    expectRead(text, '机密', 0);
    expectRead(text, '到达及时性未答', 1);
    expectRead(text, 'WS-2026-D10-0012', 1);
  });
});
