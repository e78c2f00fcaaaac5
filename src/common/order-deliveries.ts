import type { Label } from './enums.js';

// Deliveries, on-time delivery rate and delayed orders (R-K5): labels shared by server and web.

/** How the customer was told of a delay (掉期): 电话 / 邮件 / 书面 / 上门 / 其他. */
export const DELAY_VIAS = ['phone', 'email', 'written', 'visit', 'other'] as const;
export type DelayVia = (typeof DELAY_VIAS)[number];
export const DELAY_VIA_LABELS: Record<DelayVia, Label> = {
  phone: { zh: '电话', en: 'Phone' },
  email: { zh: '邮件', en: 'E-mail' },
  written: { zh: '书面', en: 'In writing' },
  visit: { zh: '上门', en: 'In person' },
  other: { zh: '其他', en: 'Other' },
};

/** 准时交付率 by order line (a line on time or not) or by quantity (quantity on time / due). */
export const ON_TIME_BASES = ['line', 'quantity'] as const;
export type OnTimeBasis = (typeof ON_TIME_BASES)[number];
export const ON_TIME_BASIS_LABELS: Record<OnTimeBasis, Label> = {
  line: { zh: '按订单行', en: 'By order line' },
  quantity: { zh: '按数量', en: 'By quantity' },
};

/** A promised date on a non-working day: counts as given, or as the next working day. */
export const HOLIDAY_RULES = ['as_promised', 'next_working_day'] as const;
export type HolidayRule = (typeof HOLIDAY_RULES)[number];
export const HOLIDAY_RULE_LABELS: Record<HolidayRule, Label> = {
  as_promised: { zh: '按承诺日期', en: 'As promised' },
  next_working_day: { zh: '顺延至下一工作日', en: 'Next working day' },
};

export const DELIVERY_GROUPS = ['month', 'customer', 'product', 'department'] as const;
export type DeliveryGroup = (typeof DELIVERY_GROUPS)[number];
export const DELIVERY_GROUP_LABELS: Record<DeliveryGroup, Label> = {
  month: { zh: '月份', en: 'Month' },
  customer: { zh: '客户', en: 'Customer' },
  product: { zh: '产品', en: 'Product' },
  department: { zh: '部门', en: 'Department' },
};
