import { z } from 'zod';
import type { Label, Lang } from './enums.js';
import type { FieldError } from './errors.js';
import { hasBidiControls } from './text.js';
import { todayInShanghai } from './time.js';

// Messages for our own field rules. A schema raises one with
// `ctx.addIssue({ code: 'custom', params: { key: 'date' } })` or `fieldRule('date')`.
export const FIELD_MESSAGES = {
  required: { zh: '此项为必填', en: 'This field is required' },
  too_many: { zh: '最多选择 {max} 项', en: 'Choose at most {max}' },
  secrecy_term: {
    zh: '保密期限应写作年数（如 10年）、解密日期（如 2030-12-31）或“长期”',
    en: 'Write the secrecy term as years (10年), an end date (2030-12-31) or 长期 (indefinite)',
  },
  date: { zh: '日期格式应为 YYYY-MM-DD，且须是有效日期', en: 'Must be a valid date written as YYYY-MM-DD' },
  date_too_early: { zh: '{labelZh}不能早于 {earliest}', en: '{labelEn} cannot be before {earliest}' },
  date_too_late: { zh: '{labelZh}不能晚于 {latest}', en: '{labelEn} cannot be after {latest}' },
  login: {
    zh: '登录名只能包含小写字母、数字、点、下划线和短横线，长度 2–64',
    en: 'Login names use lower-case letters, digits, dot, underscore and hyphen, 2–64 characters',
  },
  // Why a password is refused (server/platform/passwords.ts).
  password_short: { zh: '密码至少 {min} 位', en: 'A password needs at least {min} characters' },
  password_common: {
    zh: '这是常用密码，或与常用密码相近，很容易被猜到；请换一个更长、不常见的密码',
    en: 'This is a common password or close to one; choose a longer, uncommon one',
  },
  password_personal: {
    zh: '密码含有登录名、姓名、邮箱或系统名称，很容易被猜到；请不要用这些词',
    en: 'The password contains the login, name, e-mail address or the system’s name; leave them out',
  },
  password_keyboard: {
    zh: '键盘上相邻的按键（如 qwerty、1qaz2wsx）很容易被猜到；请换一个更不规则的密码',
    en: 'Keys next to each other (qwerty, 1qaz2wsx) are easy to guess; choose a less regular password',
  },
  password_repeat: {
    zh: '重复的字符或片段（如 aaa、abcabc）很容易被猜到；请换一个更不规则的密码',
    en: 'Repeated characters or parts (aaa, abcabc) are easy to guess; choose a less regular password',
  },
  password_sequence: {
    zh: '连续的字母或数字（如 abcd、123456）很容易被猜到；请换一个更不规则的密码',
    en: 'Runs of letters or digits (abcd, 123456) are easy to guess; choose a less regular password',
  },
  password_dates: {
    zh: '年份和日期很容易被猜到；请不要以它们为主',
    en: 'Years and dates are easy to guess; do not build the password on them',
  },
  password_words: {
    zh: '单个常用词或姓名很容易被猜到；请用几个不相关的词，再加数字或符号',
    en: 'A single common word or name is easy to guess; combine several unrelated words, digits or symbols',
  },
  password_guessable: {
    zh: '密码太容易被猜到；请加长，并用几个不相关的词、数字和符号组合',
    en: 'The password is too easy to guess; make it longer, combining unrelated words, digits and symbols',
  },
  plain_text: {
    zh: '不能包含 < > ; \\ " 或控制字符',
    en: 'Must not contain < > ; \\ " or control characters',
  },
  ill_formed_text: {
    zh: '含有无法保存的字符（控制字符或残缺的 Unicode 字符），请删除后重新输入',
    en: 'Contains characters that cannot be stored (control characters or broken Unicode); remove them and try again',
  },
  bidi_text: {
    zh: '含有看不见的文字方向控制字符（多来自复制粘贴，会使文字显示的顺序与实际内容不同），请重新输入此项',
    en: 'Contains invisible text-direction controls (usually from copying and pasting; they make text show in another order than it is); type this field again',
  },
  single_line: {
    zh: '名称和标题只能写一行，不能包含换行或制表符',
    en: 'Names and titles are one line: no line breaks or tabs',
  },
  code: {
    zh: '编码只能包含字母、数字、下划线和短横线',
    en: 'Codes use letters, digits, underscore and hyphen',
  },
  email: { zh: '电子邮箱格式不正确', en: 'Not a valid e-mail address' },
  phone: {
    zh: '电话号码只能包含数字、+、-、括号、空格和“转”',
    en: 'Phone numbers use digits, +, -, brackets and spaces',
  },
  add_or_to: {
    zh: '请给出 add（天数）或 to（截止日期）其中之一',
    en: 'Give either add (days) or to (end date)',
  },
  uscc_length: { zh: '统一社会信用代码应为 18 位', en: 'A unified social credit code has 18 characters' },
  uscc_characters: {
    zh: '统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）',
    en: 'A unified social credit code uses digits and capitals except I, O, S, V, Z',
  },
  uscc_check: {
    zh: '统一社会信用代码校验位不正确，请核对后重新输入',
    en: 'The check character of the unified social credit code is wrong',
  },
  decimal: { zh: '请输入数字，最多两位小数', en: 'Enter a number with at most two decimals' },
  handover_placeholder: {
    zh: '交接告知模板中的占位符“{value}”无法识别，可用的占位符：{known}',
    en: 'The handover notice template has an unknown placeholder "{value}"; known: {known}',
  },
  lookup: { zh: '“{value}”不是有效的选项', en: '"{value}" is not a valid choice' },
  project_code: {
    zh: '项目编号只能由字母、数字和 . _ - 组成',
    en: 'A project code consists of letters, digits and . _ -',
  },
  project_code_taken: {
    zh: '本客户档案中已有编号为“{value}”的项目',
    en: 'This customer archive already has a project "{value}"',
  },
  project_owner_clearance: {
    zh: '{name} 的涉密等级低于本客户档案的密级，不能担任项目负责人',
    en: '{name} is not cleared for this customer archive’s level and cannot own the project',
  },
  project_other_archive: {
    zh: '所选项目不属于本文件所属的客户档案（项目只能关联本档案的记录）',
    en: 'The project belongs to another customer archive (a project links records of its own archive only)',
  },
  project_closed: {
    zh: '项目“{value}”已关闭，不能再关联新的记录',
    en: 'The project "{value}" is closed; no new records can be linked to it',
  },
  number: { zh: '请输入数字', en: 'Enter a number' },
  text: { zh: '请输入文字', en: 'Enter text' },
  option: { zh: '“{value}”不在可选项中', en: '"{value}" is not one of the options' },
  unknown_custom_field: { zh: '没有名为“{key}”的自定义字段', en: 'There is no custom field "{key}"' },
  survey_answer_duplicate: { zh: '重复的答案', en: 'Answered twice' },
  survey_answer_unknown: { zh: '问卷中没有此题', en: 'The form has no such question' },
  survey_answer_text: { zh: '此题填写文字，不选等级', en: 'Write text here; no level' },
  survey_answer_level: { zh: '请选择满意程度', en: 'Choose a level of satisfaction' },
  survey_answer_level_only: { zh: '此题选择等级，不填文字', en: 'Choose a level here; no text' },
  survey_question_keys: { zh: '题目代码“{key}”重复', en: 'The question key "{key}" appears twice' },
  survey_rating_needed: { zh: '至少需要一道评分题', en: 'At least one rating question is needed' },
  survey_overall_once: { zh: '总体评价最多一道', en: 'At most one overall rating' },
  date_order: { zh: '日期不能早于 {date}', en: 'The date cannot be before {date}' },
  future_date: { zh: '日期不能晚于今天', en: 'The date cannot be in the future' },
  past_date: { zh: '日期不能早于今天', en: 'The date cannot be in the past' },
  duplicate: { zh: '“{value}”重复', en: '"{value}" appears twice' },
  visit_rule_field: {
    zh: '此项只用于对应的触发条件，请留空',
    en: 'This applies only to its own trigger; leave it empty',
  },
  visit_assignee: {
    zh: '回访人须是在职人员，且能查看该客户档案',
    en: 'The visitor must be an active person cleared for this archive',
  },
  grant_target: { zh: '请选择被授权的用户或部门（二选一）', en: 'Choose either a user or a department' },
  prefix: { zh: '编号前缀为 1–6 个大写字母', en: 'A prefix is 1–6 capital letters' },
  lookup_code: {
    zh: '代码只能包含小写字母、数字和下划线',
    en: 'Codes use lower-case letters, digits and underscore',
  },
  field_key: {
    zh: '字段标识以小写字母开头，只能包含小写字母、数字和下划线，最长 40 位',
    en: 'Field keys start with a lower-case letter and use lower-case letters, digits and underscore',
  },
  pattern: {
    zh: '编号规则须包含 {type} 和恰好一个 {seq:N}，例如 {type}{yyyy}{seq:4}',
    en: 'The pattern needs {type} and exactly one {seq:N}, e.g. {type}{yyyy}{seq:4}',
  },
  archive_no_pattern: {
    zh: '档号规则须包含 {yyyy} 和恰好一个 {seq:N}，例如 {fonds}-{class}·{yyyy}-{retention}-{dept}-{seq:4}',
    en: 'The pattern needs {yyyy} and exactly one {seq:N}, e.g. {fonds}-{class}·{yyyy}-{retention}-{dept}-{seq:4}',
  },
  retention: {
    zh: '保管期限写作 Y（永久）、D 加年数（如 D30、D10、D5）或 L 加年数（产品寿命期后若干年，如 L1）',
    en: 'A retention period is Y (permanent), D with the years (D30, D10, D5) or L with the years after the product life (L1)',
  },
  letter_required: {
    zh: '外单位借阅须上传介绍信',
    en: 'An outside borrower needs a letter of introduction',
  },
  archive_class: {
    zh: '门类代码为 1–4 个大写字母，如 WS、KJ、KH',
    en: 'A class code is 1–4 capital letters, e.g. WS, KJ, KH',
  },
  unknown_field: { zh: '不允许的字段：{keys}', en: 'Unknown field(s): {keys}' },
  version_label: {
    zh: '请填写新版本的版本号，或选择“无版本号”',
    en: 'Enter the new version’s label, or choose "unnumbered"',
  },
  version_label_unnumbered: {
    zh: '填写了版本号就不能再选择“无版本号”',
    en: 'A version with a label is not unnumbered',
  },
  version_label_taken: { zh: '本文件已有版本“{value}”', en: 'This document already has a version "{value}"' },
  recipient_clearance: {
    zh: '{name}的涉密等级低于本文件的密级“{level}”，不能接收副本',
    en: '{name} is not cleared for this record’s level ({level}) and cannot receive a copy',
  },
  recipient_manager_clearance: {
    zh: '{name}的部门经理涉密等级低于本文件的密级“{level}”，不能代部门接收副本；可分发给具体人员',
    en: 'A manager of {name} is not cleared for this record’s level ({level}), so the department cannot receive a copy; distribute to named people',
  },
  recipient_department: {
    zh: '{name}不属于所选部门；分发给个人时部门即其本人所在部门，可不填',
    en: '{name} does not belong to the department chosen; a person’s copy goes to their own department (leave it empty)',
  },
  recipient_no_manager: {
    zh: '{name}没有部门经理，不能代部门接收密级为“{level}”的文件副本；可分发给具体人员',
    en: '{name} has no manager to keep a copy of a record at {level}; distribute to named people',
  },
  list_label_taken: {
    zh: '已有同名条目（代码 {code}）；请换一个名称，或修改原条目',
    en: 'An entry of that name exists (code {code}); choose another name or edit that entry',
  },
  sr_category: { zh: '类别不存在或已停用：{value}', en: 'No such active category: {value}' },
  sr_source_document: {
    zh: '来源文件须是本客户档案中已登记、您可查看的客户文件（质量手册、质量保证协议、技术协议、合同、邮件等）',
    en: 'The source must be a registered customer document of this archive that you may see',
  },
  sr_document_secrecy: {
    zh: '该文件的密级高于本要求的密级（{level}）：能查看本要求的人都会看到文件名称。请先提高本要求的密级',
    en: 'The document is more secret than this requirement ({level}): everyone who sees the requirement would see its title. Raise the requirement’s level first',
  },
  sr_source_version: {
    zh: '该版本不属于所选来源文件，或尚未生效、已撤回',
    en: 'The version is not a released version of the chosen source document',
  },
  sr_person: {
    zh: '所选人员须是在职人员，且涉密等级不低于该要求的密级',
    en: 'Choose an active person cleared for this requirement',
  },
  sr_department: { zh: '部门不存在或已停用', en: 'No such active department' },
  sr_review_owner: {
    zh: '负责人须是评审部门（或其下级部门）的在职人员，且涉密等级不低于该要求的密级',
    en: 'The owner must be an active member of the reviewing department (or one below it) cleared for the requirement',
  },
  sr_link_document: {
    zh: '相关文件须是已登记、现行且您可查看的文件',
    en: 'The document must be a registered, current document you may see',
  },
  sr_link_version: {
    zh: '该版本不属于所选文件，或已作废',
    en: 'The version does not belong to the document, or is obsolete',
  },
  sr_link_taken: { zh: '该文件版本已关联', en: 'This document version is already linked' },
  order_quantity: {
    zh: '数量须为大于 0 的数字，最多四位小数',
    en: 'A quantity is a number above 0 with at most four decimals',
  },
  order_price: { zh: '价格须为数字，最多四位小数', en: 'A price is a number with at most four decimals' },
  // Customer analysis.
  month: { zh: '月份格式应为 YYYY-MM（如 2026-03）', en: 'A month is written YYYY-MM (e.g. 2026-03)' },
  amount: {
    zh: '金额须为不小于 0 的数字，最多两位小数',
    en: 'An amount is a number not below 0 with at most two decimals',
  },
  abc_thresholds: {
    zh: 'B 类界限须大于 A 类界限（如 A 75%、B 95%）',
    en: 'The B boundary must be above the A boundary (e.g. A 75 %, B 95 %)',
  },
  order_amendment_delivered: {
    zh: '第 {lineNo} 行已交付 {delivered}，变更后的数量不能少于已交付数量',
    en: 'Line {lineNo} has delivered {delivered} already; the new quantity cannot be less',
  },
  order_review_departments: {
    zh: '至少选择一个评审部门，否则非常规订单或交期风险订单将无人评审',
    en: 'Choose at least one department, or non-regular orders and lead times at risk go unreviewed',
  },
  order_amount: {
    zh: '金额（数量×单价）或订单总额超出上限 {max}，请核对数量和单价',
    en: 'The amount (quantity × unit price) or the order total exceeds {max}; check the quantity and the price',
  },
  order_phone_memo: {
    zh: '电话接单须填写电话纪要（来电人、时间、约定内容）',
    en: 'An order taken by phone needs the phone memo (caller, time, what was agreed)',
  },
  order_phone_memo_only: {
    zh: '只有电话接单才填写电话纪要',
    en: 'A phone memo belongs to orders taken by phone only',
  },
  order_called_at: {
    zh: '来电时间须在 1900 年之后，且不晚于现在',
    en: 'The call must be after 1900 and not in the future',
  },
  order_line_requested: {
    zh: '要求交期不能早于接单日期 {receivedOn}',
    en: 'The requested date cannot be before the order was received ({receivedOn})',
  },
  order_line_promised: {
    zh: '承诺交期不能早于接单日期 {receivedOn}',
    en: 'The promised date cannot be before the order was received ({receivedOn})',
  },
  order_condition: { zh: '有条件接受须写明条件', en: 'Acceptance on condition needs the condition' },
  order_checklist_missing: {
    zh: '请回答评审项“{label}”',
    en: 'Answer the checklist item "{label}"',
  },
  order_checklist_unknown: { zh: '评审清单中没有此项', en: 'The checklist has no such item' },
  order_pricing_missing: {
    zh: '新产品第 {lineNo} 行（料号 {partNumber}）须由财务核价',
    en: 'Finance must price line {lineNo} (new part {partNumber})',
  },
  order_pricing_line: { zh: '订单没有第 {lineNo} 行', en: 'The order has no line {lineNo}' },
  order_overrule_reason: {
    zh: '有部门评审为“不接受”，接受订单须写明否决理由',
    en: 'A department found it not acceptable; give the reason for overruling it',
  },
  order_amendment_price: {
    zh: '您无权查看该订单的价格，不能变更单价',
    en: 'You may not see this order’s prices, so you cannot change them',
  },
  order_amendment_line: {
    zh: '第 {lineNo} 行出现了不止一次',
    en: 'Line {lineNo} is given more than once',
  },
  order_department_code: {
    zh: '没有代码为“{value}”的在用部门',
    en: 'No active department has the code "{value}"',
  },
  clock_time: {
    zh: '时间格式应为 HH:MM（24 小时制），如 02:00',
    en: 'A time of day is HH:MM (24 h), e.g. 02:00',
  },
  absolute_path: {
    zh: '请填写服务器上的绝对路径，如 /backup/kedang',
    en: 'Enter an absolute path on the server, e.g. /backup/kedang',
  },
} satisfies Record<string, Label>;

export type FieldMessageKey = keyof typeof FIELD_MESSAGES;

const zhLocale = z.locales.zhCN().localeError;
const enLocale = z.locales.en().localeError;

type Issue = z.core.$ZodIssue & { input?: unknown };

function interpolate(text: string, params: Record<string, unknown>): string {
  return text.replace(/\{(\w+)\}/g, (whole, k: string) => (k in params ? String(params[k]) : whole));
}

/** One zod issue → a field error in the reader's language. */
export function localizeIssue(issue: Issue, lang: Lang): FieldError {
  const field = issue.path.map(String).join('.');
  if (issue.code === 'custom') {
    const key = (issue.params as { key?: string } | undefined)?.key as FieldMessageKey | undefined;
    if (key && key in FIELD_MESSAGES) {
      return { field, code: key, message: interpolate(FIELD_MESSAGES[key][lang], issue.params ?? {}) };
    }
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return { field, code: 'required', message: FIELD_MESSAGES.required[lang] };
  }
  if (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) === 1) {
    return { field, code: 'required', message: FIELD_MESSAGES.required[lang] };
  }
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.join(', ');
    return {
      // Named by the (first) unknown field itself, so a form can show the message beside it.
      field: [...issue.path.map(String), issue.keys[0] ?? ''].filter(Boolean).join('.'),
      code: 'unknown_field',
      message: interpolate(FIELD_MESSAGES.unknown_field[lang], { keys }),
    };
  }
  const locale = lang === 'en' ? enLocale : zhLocale;
  const raw = locale(issue as never);
  const message = typeof raw === 'string' ? raw : (raw?.message ?? issue.message);
  return { field, code: issue.code, message };
}

// Reusable field types -------------------------------------------------------------------

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function isValidIsoDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

// Dates that can be real ------------------------------------------------------------------

/** No record Kedang keeps is dated before this. */
export const EARLIEST_DATE = '1900-01-01';
/** How far ahead a date may lie at most: a plan, an expiry, the end of a product's life. */
export const MAX_YEARS_AHEAD = 100;

/**
 * The latest date a field can hold: `tomorrow` for what has already happened (received,
 * occurred, issued, first contact; a day's slack for the reader's clock — services hold "not
 * after today" where a rule says so), `century` for everything else.
 */
export type DateLimit = 'tomorrow' | 'century';

let fixedToday: string | undefined;

/**
 * Runs a validation with "today" as the server's (injected) clock has it, rather than the
 * computer's. Parsing is synchronous, so the date holds for exactly this one parse.
 */
export function withToday<T>(today: string, run: () => T): T {
  const previous = fixedToday;
  fixedToday = today;
  try {
    return run();
  } finally {
    fixedToday = previous;
  }
}

export function latestDate(limit: DateLimit, today = fixedToday ?? todayInShanghai()): string {
  const d = new Date(`${today}T00:00:00Z`);
  if (limit === 'tomorrow') d.setUTCDate(d.getUTCDate() + 1);
  else d.setUTCFullYear(d.getUTCFullYear() + MAX_YEARS_AHEAD);
  return d.toISOString().slice(0, 10);
}

/** Why a well-formed date cannot be real (a field message key with its params), or null. */
export function dateBoundProblem(
  value: string,
  limit: DateLimit,
  label: Label,
  today?: string,
): { key: 'date_too_early' | 'date_too_late'; params: Record<string, string> } | null {
  const names = { labelZh: label.zh, labelEn: label.en };
  if (value < EARLIEST_DATE) return { key: 'date_too_early', params: { ...names, earliest: EARLIEST_DATE } };
  const latest = latestDate(limit, today);
  if (value > latest) return { key: 'date_too_late', params: { ...names, latest } };
  return null;
}

/**
 * A calendar date `YYYY-MM-DD` (a day on the company calendar) that can be real: not before
 * 1900, not after `latest` (a hundred years ahead unless it has already happened). The
 * message names the field by `label`.
 */
export function dateField(label: Label, latest: DateLimit = 'century') {
  return z.string().superRefine((value, ctx) => {
    if (!isValidIsoDate(value)) {
      ctx.addIssue({ code: 'custom', params: { key: 'date' }, input: value });
      return;
    }
    const problem = dateBoundProblem(value, latest, label);
    if (problem)
      ctx.addIssue({ code: 'custom', params: { key: problem.key, ...problem.params }, input: value });
  });
}

/** A date with nothing more specific to call it. */
export const isoDate = dateField({ zh: '日期', en: 'The date' });

/** Trims ASCII and full-width (U+3000) spaces; rejects what is blank afterwards. */
export function trimmedText(max: number) {
  return z
    .string()
    .transform((s) => s.replace(/^[\s\u3000]+|[\s\u3000]+$/g, ''))
    .pipe(z.string().min(1).max(max));
}

/** Optional free text: blank becomes null. */
export function optionalText(max: number) {
  return z
    .string()
    .max(max)
    .transform((s) => {
      const t = s.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
      return t === '' ? null : t;
    })
    .nullish()
    .transform((v) => v ?? null);
}

/** A time of day HH:MM (Asia/Shanghai). */
export const clockTime = z.string().refine((s) => /^([01]\d|2[0-3]):[0-5]\d$/.test(s), {
  params: { key: 'clock_time' },
});

export const PASSWORD_MIN_LENGTH = 10;

/** The part of the password policy a form can check by itself; the server also estimates how
 * guessable the password is (server/platform/passwords.ts), which needs a large dictionary. */
export function passwordLongEnough(p: string): boolean {
  return p.length >= PASSWORD_MIN_LENGTH;
}

export const newPassword = z
  .string()
  .max(200)
  .refine(passwordLongEnough, { params: { key: 'password_short', min: PASSWORD_MIN_LENGTH } });

export const loginName = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.string().refine((s) => /^[a-z0-9][a-z0-9._-]{1,63}$/.test(s), { params: { key: 'login' } }));

// Names of people, departments and the like: no markup, statement separators or control
// characters. Nobody needs them in a name, and refusing them makes a typo or an injection
// attempt visible at once instead of storing it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const PLAIN = /^[^<>;\\"\u0000-\u001f\u007f]*$/;

export function plainName(max: number) {
  return nameText(max).pipe(z.string().refine((s) => PLAIN.test(s), { params: { key: 'plain_text' } }));
}

/** Characters that show nothing (zero-width spaces and joiners, word joiners, the BOM, soft
 * hyphens, direction marks): in a name they only make look-alikes of names that exist. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]/g;
const LINE_BREAKS = /[\t\n\r\u0085\u2028\u2029]/;

/** A title or name: one line of trimmed text, without invisible characters (dropped) and without
 * bidirectional controls, which would make it read as something else on screen and in registers. */
export function nameText(max: number) {
  return z
    .string()
    .transform((s) => s.replace(INVISIBLE, ''))
    .pipe(trimmedText(max))
    .pipe(
      z
        .string()
        .refine((s) => !hasBidiControls(s), { params: { key: 'bidi_text' } })
        .refine((s) => !LINE_BREAKS.test(s), { params: { key: 'single_line' } }),
    );
}

/** A file name sent with an upload (`?name=`): a name like any other. */
export const fileNameParam = nameText(255);
