import dayjs, { type Dayjs } from 'dayjs';
import type { CreditClass, CustomerGrade } from '../../../common/customers';
import type { SecrecyLevel } from '../../../common/enums';
import type { Customer, CustomField } from '../../../common/schemas/customers';
import { todayInShanghai } from '../../../common/time';
import { type CustomValue, toApiValue, toFormValue } from './CustomFieldInput';
import type { ContactRow } from './InitialContacts';

// The customer form's values, and their conversion to and from the API's shapes.

export interface CustomerFormValues {
  name: string;
  creditCode?: string;
  category?: string;
  kind?: string;
  nature?: string | null;
  grade?: CustomerGrade | null;
  creditClass?: CreditClass | null;
  secrecy: SecrecyLevel;
  legalRepresentative?: string;
  registeredAddress?: string;
  registeredCapital?: string | null;
  staffCount?: number | null;
  businessScope?: string;
  website?: string;
  phone?: string;
  email?: string;
  region?: string;
  industry?: string;
  source?: string | null;
  departmentId?: string;
  ownerIds: string[];
  firstContactDate?: Dayjs;
  firstPurchaseDate?: Dayjs | null;
  customFields?: Record<string, unknown>;
  contacts?: ContactRow[];
  file?: boolean;
  changeDate?: Dayjs;
  note?: string;
}

/** The master-record part of the form as the API takes it (shared by create and update). */
export function masterBody(v: CustomerFormValues, customFields: CustomField[]) {
  const text = (s?: string | null) => s?.trim() ?? '';
  return {
    name: text(v.name),
    creditCode: text(v.creditCode) || null,
    category: v.category ?? '',
    kind: v.kind ?? '',
    nature: v.nature ?? null,
    legalRepresentative: text(v.legalRepresentative),
    registeredAddress: text(v.registeredAddress),
    phone: text(v.phone),
    email: text(v.email),
    website: text(v.website),
    industry: text(v.industry),
    region: text(v.region),
    businessScope: text(v.businessScope),
    registeredCapital:
      v.registeredCapital === null || v.registeredCapital === undefined ? '' : String(v.registeredCapital),
    staffCount: v.staffCount ?? null,
    source: v.source ?? null,
    grade: v.grade ?? null,
    creditClass: v.creditClass ?? null,
    departmentId: v.departmentId ?? '',
    ownerIds: v.ownerIds ?? [],
    secrecy: v.secrecy,
    firstContactDate: (v.firstContactDate ?? dayjs()).format('YYYY-MM-DD'),
    firstPurchaseDate: v.firstPurchaseDate ? v.firstPurchaseDate.format('YYYY-MM-DD') : null,
    customFields: Object.fromEntries(
      customFields.map((f) => [f.key, toApiValue(f, v.customFields?.[f.key] as never)]),
    ) as Record<string, CustomValue>,
  };
}

export function initialValuesOf(c: Customer, customFields: CustomField[]): CustomerFormValues {
  return {
    name: c.name,
    creditCode: c.creditCode ?? '',
    category: c.category,
    kind: c.kind,
    nature: c.nature,
    grade: c.grade,
    creditClass: c.creditClass,
    secrecy: c.secrecy,
    legalRepresentative: c.legalRepresentative ?? '',
    registeredAddress: c.registeredAddress ?? '',
    registeredCapital: c.registeredCapital,
    staffCount: c.staffCount,
    businessScope: c.businessScope ?? '',
    website: c.website ?? '',
    phone: c.phone ?? '',
    email: c.email ?? '',
    region: c.region ?? '',
    industry: c.industry ?? '',
    source: c.source,
    departmentId: c.departmentId,
    ownerIds: c.owners.map((o) => o.id),
    firstContactDate: dayjs(c.firstContactDate),
    firstPurchaseDate: c.firstPurchaseDate ? dayjs(c.firstPurchaseDate) : null,
    customFields: Object.fromEntries(
      customFields.map((f) => [f.key, toFormValue(f, c.customFields[f.key] ?? null)]),
    ),
    changeDate: dayjs(todayInShanghai()),
    note: '',
  };
}
