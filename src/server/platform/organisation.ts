import type { Db } from '../db/index.js';
import { readSettings } from './settings.js';

// The company's own name (公司名称), printed at the head of forms and shown to customers on the
// one-time survey page and in its e-mails. A setting (`organisation.name`) the administrator sets
// on the departments page; until then the only top-level department when there is exactly one
// (a company modelled as one tree), else 客档.

export const ORGANISATION_PREFIX = 'organisation.';
export const FALLBACK_COMPANY_NAME = '客档';

export async function storedCompanyName(db: Db): Promise<string | null> {
  const { name } = await readSettings<{ name: string | null }>(db, ORGANISATION_PREFIX, { name: null });
  return name?.trim() ? name.trim() : null;
}

export async function companyName(db: Db): Promise<string> {
  const stored = await storedCompanyName(db);
  if (stored) return stored;
  const tops = await db
    .selectFrom('departments')
    .select('name')
    .where('parent_id', 'is', null)
    .where('active', '=', 1)
    .limit(2)
    .execute();
  return tops.length === 1 && tops[0] ? tops[0].name : FALLBACK_COMPANY_NAME;
}
