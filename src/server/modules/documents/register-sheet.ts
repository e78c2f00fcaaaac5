import type { Register } from '../../../common/documents.js';
import { SECRECY_LABELS, SECRECY_LEVELS, type SecrecyLevel } from '../../../common/enums.js';
import { escapeRegExp } from '../../../common/text.js';
import { sheetDate } from '../../platform/xlsx-read.js';

// Reading a register kept by hand (register-import.ts): which row is the header and which column
// is which (by name, full-width folded, a header merged over two rows read from below), the
// combined 发布日期/版本 cell, a secrecy cell, and the configured 档号 pattern as a regular
// expression with the counter each number was drawn from.

/** Rows above the header row that may hold a title (表名, 单位, 日期). */
export const HEADER_SEARCH = 10;

export type Key =
  | 'index'
  | 'title'
  | 'docNumber'
  | 'issueOrVersion'
  | 'issueDate'
  | 'versionLabel'
  | 'receivedDate'
  | 'department'
  | 'distribution'
  | 'status'
  | 'customer'
  | 'changesInternal'
  | 'archiveNo'
  | 'responsibleParty'
  | 'secrecy'
  | 'pages'
  | 'remarks'
  | 'category'
  | 'carrier'
  | 'retention'
  | 'location';

/** Header names as registers write them; compared after `headerKey` (full-width folded, no spaces). */
export const HEADER_NAMES: Record<Key, string[]> = {
  index: ['序号', '编号序', 'no', 'no.'],
  title: ['文件名称', '题名', '名称', '文件名', '标题', '资料名称', 'title'],
  docNumber: ['文件编号', '文号', '标准号', '标准编号', '编号', '资料编号', 'number', 'documentnumber'],
  issueOrVersion: ['发布日期/版本', '发布日期/版本号', '版本/发布日期', '版本/日期', 'issuedate/version'],
  issueDate: ['发布日期', '发文日期', '颁布日期', '日期', '成文日期', 'issuedate', 'date'],
  versionLabel: ['版本', '版本号', '版次', 'version'],
  receivedDate: ['接收日期', '收文日期', '收到日期', '接收时间', 'received'],
  department: ['归口部门', '部门', '责任部门', '管理部门', 'owningdepartment', 'department'],
  distribution: ['分发范围', '分发部门', 'distribution'],
  status: ['状态', 'status'],
  customer: ['客户', '客户名称', '客户编号', '档案编号', 'customer'],
  changesInternal: ['是否引起内部文件变更', '内部文件变更', 'changesinternaldocuments'],
  archiveNo: ['档号', 'archiveno.', 'archiveno'],
  responsibleParty: ['责任者', 'responsibleparty'],
  secrecy: ['密级', 'secrecy'],
  pages: ['页数', 'pages'],
  remarks: ['备注', 'remarks'],
  category: ['类别', '文件类别', '分类', 'category'],
  carrier: ['载体', 'carrier'],
  retention: ['保管期限', 'retention'],
  location: ['存放位置', '存放地点', '位置', 'location'],
};

/** A header as compared: full-width folded (NFKC), no spaces, no required-marks, lower case,
 * and a parenthesised note dropped (是否引起内部文件变更（PFMEA、控制计划…）). */
export function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[*:：]+$/, '')
    .replace(/\(.*\)$/, '')
    .toLowerCase();
}

export const HEADER_OF = new Map<string, Key>();
for (const [key, names] of Object.entries(HEADER_NAMES) as [Key, string[]][])
  for (const name of names) HEADER_OF.set(headerKey(name), key);

export const REQUIRED: Record<Register, Key[]> = {
  external: ['title'],
  customer: ['title', 'customer'],
  filed: ['title', 'archiveNo'],
};

export interface Layout {
  /** Rows (1-based, as in Excel) of the header: one, or two when the second splits the first. */
  headerRows: number[];
  /** The column of each key recognised, and the header text shown in problems. */
  index: Map<Key, number>;
  header: string[];
}

/** Finds the header among the first rows: the row naming most known columns, with the row below
 * when that one only holds header names (a header merged over two rows, split below). */
export function findLayout(rows: string[][]): Layout | null {
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH); i++) {
    const keys = new Set((rows[i] ?? []).map((c) => HEADER_OF.get(headerKey(c))).filter(Boolean));
    if (keys.size > bestScore) {
      best = i;
      bestScore = keys.size;
    }
  }
  if (best < 0 || bestScore < 2) return null;
  const top = rows[best] ?? [];
  const below = rows[best + 1] ?? [];
  const belowCells = below.filter((c) => c.trim() !== '');
  const split =
    belowCells.length > 0 &&
    belowCells.every((c) => HEADER_OF.has(headerKey(c)) || top.includes(c)) &&
    belowCells.some((c, i) => c !== top[below.indexOf(c, i)]);
  const header: string[] = [];
  const width = Math.max(top.length, split ? below.length : 0);
  for (let c = 0; c < width; c++) {
    const sub = split ? (below[c] ?? '').trim() : '';
    const head = (top[c] ?? '').trim();
    header.push(sub && HEADER_OF.has(headerKey(sub)) ? sub : head);
  }
  const index = new Map<Key, number>();
  header.forEach((h, c) => {
    const key = HEADER_OF.get(headerKey(h));
    if (key && !index.has(key)) index.set(key, c);
  });
  return { headerRows: split ? [best + 1, best + 2] : [best + 1], index, header };
}

/** `2019-05-10 / 2019版`, a date alone or a version alone (the 外来文件清单's combined column). */
export function splitIssueOrVersion(text: string): { date: string | null; label: string | null } {
  const t = text.normalize('NFKC').trim();
  if (!t) return { date: null, label: null };
  const whole = sheetDate(t);
  if (whole) return { date: whole, label: null };
  for (let i = 0; i < t.length; i++) {
    if (t[i] !== '/') continue;
    const left = sheetDate(t.slice(0, i).trim());
    const right = t.slice(i + 1).trim();
    if (left && right) return { date: left, label: right };
    const rightDate = sheetDate(right);
    if (rightDate && t.slice(0, i).trim()) return { date: rightDate, label: t.slice(0, i).trim() };
  }
  return { date: null, label: text.trim() };
}

/** 普通/秘密/机密/绝密 or the marked form 机密★10年 (its term kept). */
export function secrecyOf(text: string): { level: SecrecyLevel; term: string | null } | null {
  const t = text.normalize('NFKC').replace(/\s+/g, '');
  if (!t || t === '无' || t === '公开' || t === '-') return { level: 'normal', term: null };
  const [name = '', term = ''] = t.split(/[★*☆]/);
  const level = SECRECY_LEVELS.find(
    (l) => SECRECY_LABELS[l].zh === name || SECRECY_LABELS[l].en.toLowerCase() === name.toLowerCase(),
  );
  return level ? { level, term: term || null } : null;
}

/**
 * The configured 档号 pattern as a regular expression: the fonds code as configured, years as four
 * digits, the sequence as digits (at least its width), other parts as text without separators.
 * Returns the pattern's parts by name and the counter key the number would have been issued from.
 */
/** An example 档号 of the pattern, for a message a person reads (Q001-WS·2024-D10-ZL-0001). */
export function archiveNoExample(pattern: string, fonds: string): string {
  const sample: Record<string, string> = {
    fonds,
    class: 'WS',
    yyyy: '2024',
    yy: '24',
    mm: '03',
    retention: 'D10',
    dept: 'ZL',
  };
  return pattern.replace(/\{(\w+)(?::(\d+))?\}/g, (_, name: string, width?: string) =>
    name === 'seq' ? '1'.padStart(Number(width ?? 1), '0') : (sample[name] ?? name.toUpperCase()),
  );
}

export function archiveNoShape(pattern: string, fonds: string) {
  const names: string[] = [];
  let source = '^';
  let last = 0;
  for (const m of pattern.matchAll(/\{(\w+)(?::(\d+))?\}/g)) {
    source += escapeRegExp(pattern.slice(last, m.index));
    const [, name = '', width] = m;
    if (name === 'seq') source += `(?<seq>\\d{${Number(width ?? 1)},})`;
    else if (name === 'fonds') source += escapeRegExp(fonds);
    else if (name === 'yyyy') source += names.includes('yyyy') ? '\\d{4}' : '(?<yyyy>\\d{4})';
    else if (name === 'yy' || name === 'mm') source += '\\d{2}';
    else source += names.includes(name) ? '[^-·.\\s]+' : `(?<${name}>[^-·.\\s]+)`;
    names.push(name);
    last = m.index + m[0].length;
  }
  source += `${escapeRegExp(pattern.slice(last))}$`;
  const re = new RegExp(source, 'd');
  return (text: string) => {
    const m = re.exec(text);
    const at = m?.indices?.groups?.seq;
    if (!m?.groups?.seq || !at) return null;
    return {
      parts: m.groups as Record<string, string>,
      seq: Number(m.groups.seq),
      // The counter a number is drawn from: the code with its sequence as '#' (numbering.counterKey).
      counter: `archive_no:${text.slice(0, at[0])}#${text.slice(at[1])}`,
    };
  };
}
