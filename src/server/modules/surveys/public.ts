import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  SURVEY_LEVEL_LABELS,
  SURVEY_LEVELS,
  type SurveyAnswerInput,
  type SurveyLevel,
  type SurveyQuestion,
  scoreResponse,
} from '../../../common/surveys.js';
import { todayInShanghai } from '../../../common/time.js';
import { FIELD_MESSAGES } from '../../../common/validation.js';
import { tx } from '../../platform/context.js';
import { DomainError, FieldErrors } from '../../platform/errors.js';
import type { BlobStore } from '../../platform/storage.js';
import { afterFileResponse } from './archive.js';
import { displayCompanyName, type TokenRefusal, verifyToken } from './link.js';
import { recordResponse } from './responses.js';

// The customer's one-time page (R-V3): GET /s/<token> shows the survey, POST /s/<token> answers
// it. Outside /api and outside the web app: plain server-rendered HTML in Chinese, made for a
// phone, without scripts, cookies, or links anywhere; it shows the campaign's questions and the
// company's name, nothing about the customer. A token that does not open a survey gets a page
// saying so — 404 for one that was never given out (made up, altered, cut short), 410 for one
// used, expired or of a closed survey — and nothing is stored. Requests are limited per client
// address. The answer is recorded by responses.ts (`recordResponse`, channel `link`, nobody as
// actor), which claims the invitation so that two submissions at once store one answer, and
// audits it with the campaign and invitation; the client's address is only in that entry.

export interface PublicSurveyOptions {
  /** Requests to /s/ per client address per minute (GET and POST together). */
  rateLimit: number;
  store: BlobStore;
}

const FORM_TYPE = 'application/x-www-form-urlencoded';
const BODY_LIMIT = 64 * 1024;
const TEXT_MAX = 2000;
const NAME_MAX = 100;

const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f3f5f8;color:#1f2329;font:17px/1.6 -apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
main{max-width:640px;margin:0 auto;padding:16px 14px 40px}
header{padding:8px 2px 14px}
.company{margin:0;color:#5c6370;font-size:15px}
h1{margin:4px 0 0;font-size:22px;line-height:1.35}
.intro{margin:12px 0 0;color:#373c43}
.intro p{margin:0 0 8px}
.card{background:#fff;border-radius:10px;padding:16px 14px;margin:0 0 14px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
fieldset{border:0;margin:0;padding:0;min-width:0}
legend{padding:0;font-weight:600;font-size:18px;margin-bottom:10px}
.req{color:#c0392b;font-weight:400;font-size:15px;margin-left:4px}
.levels{display:grid;grid-template-columns:1fr 1fr;gap:10px}
@media (min-width:560px){.levels{grid-template-columns:repeat(4,1fr)}}
.level{display:flex;align-items:center;gap:10px;min-height:52px;padding:10px 12px;border:1px solid #cfd5dd;border-radius:8px;background:#fafbfc;cursor:pointer}
.level input{width:22px;height:22px;margin:0;flex:none;accent-color:#1f6feb}
.level:has(input:checked){border-color:#1f6feb;background:#eaf2ff}
label.field{display:block;font-weight:600;font-size:18px;margin-bottom:10px}
textarea,input[type=text]{width:100%;font:inherit;padding:12px;border:1px solid #cfd5dd;border-radius:8px;background:#fff}
textarea{min-height:120px;resize:vertical}
.bad{outline:2px solid #e5484d;outline-offset:4px;border-radius:4px}
.err{color:#c0392b;margin:8px 0 0;font-size:15px}
.summary{background:#fff1f0;border:1px solid #ffccc7;color:#a8071a;border-radius:10px;padding:12px 14px;margin:0 0 14px}
.summary p{margin:0}
button{display:block;width:100%;min-height:54px;border:0;border-radius:10px;background:#1f6feb;color:#fff;font:inherit;font-size:19px;font-weight:600;cursor:pointer}
.note{color:#5c6370;font-size:14px;margin:14px 2px 0}
.msg{text-align:center;padding:32px 16px}
.msg h1{font-size:22px}
.msg p{color:#373c43}
`;
const STYLE_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;
/** Nothing but this page's own style; the form posts to this page; never framed. */
const CSP = [
  "default-src 'none'",
  `style-src ${STYLE_HASH}`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

function htmlDocument(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function send(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex, nofollow')
    .header('content-security-policy', CSP)
    .send(html);
}

function messagePage(company: string, title: string, lines: string[]): string {
  return htmlDocument(
    `${title} - ${company}`,
    `<div class="card msg">
<p class="company">${esc(company)}</p>
<h1>${esc(title)}</h1>
${lines.map((l) => `<p>${esc(l)}</p>`).join('\n')}
</div>`,
  );
}

type Refusal = { status: number; title: string; lines: (closesOn?: string) => string[] };
/** Never given out, altered or cut short: one page for all, which tells nothing more. */
const INVALID: Refusal = {
  status: 404,
  title: '链接无效',
  lines: () => [
    '无法打开这份问卷：链接不完整或有误。',
    '请从邮件中完整复制链接后重新打开；如仍有问题，请联系向您发送邮件的业务人员。',
  ],
};
const REFUSALS: Record<TokenRefusal, Refusal> = {
  malformed: INVALID,
  unknown: INVALID,
  forged: INVALID,
  used: {
    status: 410,
    title: '问卷已提交',
    lines: () => ['这份问卷已经通过此链接提交过，每个链接只能提交一次。', '感谢您的参与！'],
  },
  expired: {
    status: 410,
    title: '问卷已截止',
    lines: (closesOn) => [
      closesOn ? `本次调查已于 ${closesOn} 截止，不再接受填写。` : '本次调查已截止，不再接受填写。',
      '感谢您的关注！',
    ],
  },
  closed: {
    status: 410,
    title: '调查已结束',
    lines: () => ['本次调查已经结束，不再接受填写。', '感谢您的关注！'],
  },
};

async function refuse(
  req: FastifyRequest,
  reply: FastifyReply,
  reason: TokenRefusal,
  closesOn?: string,
): Promise<FastifyReply> {
  const r = REFUSALS[reason];
  const company = await displayCompanyName(req.ctx.db);
  return send(reply, r.status, messagePage(company, r.title, r.lines(closesOn)));
}

interface FormView {
  company: string;
  campaignName: string;
  intro: string | null;
  questions: SurveyQuestion[];
  /** Posted values by question key, and the contact's name. */
  values: Record<string, string>;
  contact: string;
  /** Problems by question key (`contact` for the name). */
  errors: Record<string, string>;
}

function formPage(v: FormView): string {
  const problems = Object.keys(v.errors).length;
  const question = (q: SurveyQuestion, i: number) => {
    const name = `q_${q.key}`;
    const error = v.errors[q.key];
    const mark = q.required ? '<span class="req">（必答）</span>' : '<span class="req">（选答）</span>';
    const errorHtml = error ? `<p class="err" id="e_${esc(q.key)}">${esc(error)}</p>` : '';
    const described = error ? ` aria-describedby="e_${esc(q.key)}" aria-invalid="true"` : '';
    if (q.type === 'text') {
      return `<div class="card"><div${error ? ' class="bad"' : ''}>
<label class="field" for="${esc(name)}">${i}. ${esc(q.label)}${mark}</label>
<textarea id="${esc(name)}" name="${esc(name)}" maxlength="${TEXT_MAX}" rows="5"${q.required ? ' required' : ''}${described}>${esc(v.values[q.key] ?? '')}</textarea>
${errorHtml}</div></div>`;
    }
    const levels = SURVEY_LEVELS.map((level) => {
      const id = `${name}_${level}`;
      const checked = v.values[q.key] === level ? ' checked' : '';
      return `<label class="level" for="${esc(id)}"><input type="radio" id="${esc(id)}" name="${esc(name)}" value="${level}"${checked}${q.required ? ' required' : ''}>${SURVEY_LEVEL_LABELS[level].zh}</label>`;
    }).join('\n');
    return `<div class="card"><fieldset${error ? ' class="bad"' : ''}${described}>
<legend>${i}. ${esc(q.label)}${mark}</legend>
<div class="levels">
${levels}
</div>
${errorHtml}</fieldset></div>`;
  };
  const intro = v.intro
    ? `<div class="intro">${v.intro
        .split(/\r?\n/)
        .filter((l) => l.trim())
        .map((l) => `<p>${esc(l)}</p>`)
        .join('')}</div>`
    : '';
  const contactError = v.errors.contact;
  return htmlDocument(
    `${v.campaignName} - ${v.company}`,
    `<header>
<p class="company">${esc(v.company)}</p>
<h1>${esc(v.campaignName)}</h1>
${intro}
</header>
${
  problems > 0
    ? `<div class="summary" role="alert"><p>还有 ${problems} 处需要填写或修改，请按红色提示补充后再提交。</p></div>`
    : ''
}
<form method="post" accept-charset="utf-8">
${v.questions.map((q, i) => question(q, i + 1)).join('\n')}
<div class="card"><div${contactError ? ' class="bad"' : ''}>
<label class="field" for="contact">您的姓名<span class="req">（选填）</span></label>
<input type="text" id="contact" name="contact" maxlength="${NAME_MAX}" autocomplete="name" value="${esc(v.contact)}"${contactError ? ' aria-describedby="e_contact" aria-invalid="true"' : ''}>
${contactError ? `<p class="err" id="e_contact">${esc(contactError)}</p>` : ''}
</div></div>
<button type="submit">提交问卷</button>
</form>
<p class="note">您的回答仅用于${esc(v.company)}改进产品和服务。此链接只能提交一次。</p>`,
  );
}

function thanksPage(company: string, campaignName: string): string {
  return messagePage(company, '提交成功', [
    `您对《${campaignName}》的回答已经收到。`,
    '感谢您抽出宝贵时间，我们会认真对待您的每一条意见！',
  ]);
}

async function questionsOf(req: FastifyRequest, templateId: string): Promise<SurveyQuestion[]> {
  const row = await req.ctx.db
    .selectFrom('survey_templates')
    .select('questions')
    .where('id', '=', templateId)
    .executeTakeFirstOrThrow();
  return JSON.parse(row.questions) as SurveyQuestion[];
}

/** The posted form: `q_<key>` per question, `contact`; anything else is ignored. */
function readForm(
  body: unknown,
  questions: SurveyQuestion[],
): {
  values: Record<string, string>;
  contact: string;
  answers: SurveyAnswerInput[];
  errors: Record<string, string>;
} {
  const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const str = (name: string) => {
    const v = Object.hasOwn(fields, name) ? fields[name] : undefined;
    return typeof v === 'string' ? v : '';
  };
  const values: Record<string, string> = {};
  const errors: Record<string, string> = {};
  const answers: SurveyAnswerInput[] = [];
  for (const q of questions) {
    const raw = str(`q_${q.key}`);
    values[q.key] = raw;
    if (q.type === 'text') {
      if (raw.length > TEXT_MAX) errors[q.key] = `内容过长，最多 ${TEXT_MAX} 字`;
      answers.push({ key: q.key, text: raw });
    } else if (raw === '') {
      answers.push({ key: q.key, level: null });
    } else if ((SURVEY_LEVELS as readonly string[]).includes(raw)) {
      answers.push({ key: q.key, level: raw as SurveyLevel });
    } else {
      errors[q.key] = '请选择满意程度';
      values[q.key] = '';
    }
  }
  const contact = str('contact');
  if (contact.trim().length > NAME_MAX) errors.contact = `姓名过长，最多 ${NAME_MAX} 字`;
  // Required questions left out, in the words the staff's form uses.
  const scored = scoreResponse(questions, { very_satisfied: 0, satisfied: 0, average: 0, poor: 0 }, answers);
  if (!scored.ok) for (const e of scored.errors) errors[e.key] ??= e.message;
  return { values, contact, answers, errors };
}

export const publicSurveyRoutes: FastifyPluginAsync<PublicSurveyOptions> = async (app, opts) => {
  // Only here: a browser's plain form post, read with URLSearchParams into a record without a
  // prototype (a field named __proto__ is just a field); the first of repeated names counts.
  app.addContentTypeParser(FORM_TYPE, { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    const out = Object.create(null) as Record<string, string>;
    for (const [k, v] of new URLSearchParams(body as string)) if (!Object.hasOwn(out, k)) out[k] = v;
    done(null, out);
  });

  // Every failure is a page, never problem+json: the reader is a customer with a phone.
  app.setErrorHandler(async (error: Error & { code?: string; statusCode?: number }, req, reply) => {
    const company = req.ctx ? await displayCompanyName(req.ctx.db).catch(() => '客档') : '客档';
    if (error instanceof DomainError && error.status === 429) {
      const seconds = Number(error.params.retryAfter ?? 60);
      reply.header('retry-after', String(seconds));
      return send(
        reply,
        429,
        messagePage(company, '请求过于频繁', [`您的操作太频繁了，请在 ${seconds} 秒后再试。`]),
      );
    }
    if (error instanceof FieldErrors)
      return send(
        reply,
        400,
        messagePage(company, '无法提交', ['填写的内容中含有无法识别的字符，请返回修改后再提交。']),
      );
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return send(reply, 413, messagePage(company, '无法提交', ['填写的内容过长，请精简后再提交。']));
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.statusCode === 415)
      return send(reply, 415, messagePage(company, '无法提交', ['请通过问卷页面上的“提交问卷”按钮提交。']));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
      return send(reply, 400, messagePage(company, '无法提交', ['请求有误，请重新打开邮件中的链接。']));
    req.log.error({ err: error }, 'survey page failed');
    return send(reply, 500, messagePage(company, '暂时无法打开', ['服务暂时不可用，请稍后再试。']));
  });

  // One limit for the page and its answer together, per client address.
  const limit = app.rateLimit({ max: opts.rateLimit, timeWindow: '1 minute' });
  const route = { onRequest: limit, config: { public: true }, schema: { hide: true } };

  app.get<{ Params: { token: string } }>('/s/:token', route, async (req, reply) => {
    const v = await verifyToken(req.ctx.db, req.params.token, req.ctx.now());
    if (!v.ok) return refuse(req, reply, v.reason, v.closesOn);
    // First opened: when the customer (or their mail program) first looked.
    await req.ctx.db
      .updateTable('survey_invitations')
      .set({ opened_at: req.ctx.now().toISOString() })
      .where('id', '=', v.invitation.id)
      .where('opened_at', 'is', null)
      .execute();
    return send(
      reply,
      200,
      formPage({
        company: await displayCompanyName(req.ctx.db),
        campaignName: v.campaign.name,
        intro: v.campaign.intro,
        questions: await questionsOf(req, v.campaign.template_id),
        values: {},
        contact: '',
        errors: {},
      }),
    );
  });

  app.post<{ Params: { token: string } }>('/s/:token', route, async (req, reply) => {
    const ctx = req.ctx;
    const v = await verifyToken(ctx.db, req.params.token, ctx.now());
    if (!v.ok) return refuse(req, reply, v.reason, v.closesOn);
    const questions = await questionsOf(req, v.campaign.template_id);
    const form = readForm(req.body, questions);
    const company = await displayCompanyName(ctx.db);
    const again = (errors: Record<string, string>) =>
      send(
        reply,
        400,
        formPage({
          company,
          campaignName: v.campaign.name,
          intro: v.campaign.intro,
          questions,
          values: form.values,
          contact: form.contact,
          errors,
        }),
      );
    if (Object.keys(form.errors).length > 0) return again(form.errors);
    let recorded: Awaited<ReturnType<typeof recordResponse>>;
    try {
      recorded = await tx(ctx, (t) =>
        recordResponse(
          t,
          {
            invitationId: v.invitation.id,
            channel: 'link',
            enteredBy: null,
            contactName: form.contact.trim() || null,
            answeredOn: todayInShanghai(ctx.now()),
            answers: form.answers,
          },
          opts.store,
        ),
      );
    } catch (err) {
      // Another submission of the same link got there first, or the survey closed meanwhile.
      if (err instanceof DomainError && err.code === 'survey_answered') return refuse(req, reply, 'used');
      if (err instanceof DomainError && err.code === 'survey_expired')
        return refuse(req, reply, 'expired', v.campaign.closes_on);
      if (err instanceof DomainError && err.code === 'survey_not_running')
        return refuse(req, reply, 'closed');
      if (err instanceof FieldErrors) {
        const errors: Record<string, string> = {};
        for (const p of err.problems) {
          const key = p.field.replace(/^answers\./, '');
          errors[key] ??= FIELD_MESSAGES[p.key].zh;
        }
        return again(errors);
      }
      throw err;
    }
    // The filed form's text, for search; the answer is stored whatever happens here.
    await afterFileResponse(ctx, opts.store, recorded.filed).catch((err) =>
      req.log.warn({ err }, 'survey form text extraction not queued'),
    );
    return send(reply, 200, thanksPage(company, v.campaign.name));
  });
};
