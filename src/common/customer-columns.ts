import type { Label } from './enums.js';

// The columns of 客户档案一览表: the Excel export and the import template use the same Chinese
// headers, so an exported sheet can be edited and imported again (R-W3).

export interface CustomerColumn {
  key: string;
  header: Label;
  /** Width in characters. */
  width: number;
  /** Only written by export (system fields that an import cannot set). */
  exportOnly?: boolean;
  /** An import row must have it (for new archives). */
  required?: boolean;
}

export const CUSTOMER_COLUMNS: CustomerColumn[] = [
  { key: 'archiveCode', header: { zh: '档案编号', en: 'Archive code' }, width: 14 },
  { key: 'name', header: { zh: '客户名称', en: 'Name' }, width: 30, required: true },
  { key: 'creditCode', header: { zh: '统一社会信用代码', en: 'Credit code' }, width: 22 },
  { key: 'category', header: { zh: '客户类别', en: 'Category' }, width: 10, required: true },
  { key: 'kind', header: { zh: '客户种类', en: 'Kind' }, width: 10, required: true },
  { key: 'nature', header: { zh: '企业性质', en: 'Nature' }, width: 10 },
  { key: 'legalRepresentative', header: { zh: '法定代表人', en: 'Legal representative' }, width: 10 },
  { key: 'registeredAddress', header: { zh: '注册地址', en: 'Registered address' }, width: 30 },
  { key: 'phone', header: { zh: '电话', en: 'Phone' }, width: 16 },
  { key: 'email', header: { zh: '邮箱', en: 'E-mail' }, width: 20 },
  { key: 'website', header: { zh: '网址', en: 'Website' }, width: 20 },
  { key: 'industry', header: { zh: '行业', en: 'Industry' }, width: 12 },
  { key: 'region', header: { zh: '地区', en: 'Region' }, width: 10 },
  { key: 'businessScope', header: { zh: '经营范围', en: 'Business scope' }, width: 30 },
  {
    key: 'registeredCapital',
    header: { zh: '注册资本（万元）', en: 'Registered capital (10k CNY)' },
    width: 12,
  },
  { key: 'staffCount', header: { zh: '员工人数', en: 'Staff' }, width: 8 },
  { key: 'source', header: { zh: '客户来源', en: 'Source' }, width: 10 },
  { key: 'grade', header: { zh: '客户等级', en: 'Grade' }, width: 8 },
  { key: 'creditClass', header: { zh: '信用等级', en: 'Credit class' }, width: 8 },
  { key: 'department', header: { zh: '所属部门', en: 'Department' }, width: 12 },
  { key: 'owners', header: { zh: '负责人', en: 'Responsible' }, width: 14 },
  { key: 'secrecy', header: { zh: '密级', en: 'Secrecy' }, width: 8 },
  { key: 'firstContactDate', header: { zh: '首次接触日期', en: 'First contact' }, width: 12 },
  { key: 'contactName', header: { zh: '主要联系人', en: 'Main contact' }, width: 10 },
  { key: 'contactPhone', header: { zh: '联系人电话', en: 'Contact phone' }, width: 16 },
  { key: 'status', header: { zh: '状态', en: 'Status' }, width: 8, exportOnly: true },
  { key: 'filingDueDate', header: { zh: '备案期限', en: 'Filing due' }, width: 12, exportOnly: true },
  { key: 'filedAt', header: { zh: '备案日期', en: 'Filed on' }, width: 12 },
  { key: 'updatedAt', header: { zh: '最后更新', en: 'Last updated' }, width: 18, exportOnly: true },
];
