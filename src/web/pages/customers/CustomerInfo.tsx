import { Descriptions, type DescriptionsProps, Flex, Tag, Typography } from 'antd';
import type { Customer, CustomerConfig } from '../../../common/schemas/customers';
import { formatDateTime } from '../../../common/time';
import { SecrecyTag } from '../../components/labels';
import { useT } from '../../i18n';
import { customValueText } from './CustomFieldInput';
import {
  CustomerStatusTag,
  fieldsForKind,
  orDash,
  useCreditClassLabel,
  useFieldLabel,
  useLookups,
} from './shared';

/** 基本信息: every field of the master record, grouped as on the form. */
export function CustomerInfo({ customer: c, config }: { customer: Customer; config: CustomerConfig | null }) {
  const t = useT();
  const lookups = useLookups(config);
  const creditClass = useCreditClassLabel();
  const f = useFieldLabel(config);

  const section = (title: string, items: DescriptionsProps['items']) => (
    <Descriptions
      title={title}
      size="small"
      bordered
      column={{ xs: 1, md: 2, xl: 3 }}
      items={items}
      styles={{ label: { width: 140, whiteSpace: 'nowrap' } }}
      style={{ marginBottom: 24 }}
    />
  );

  // Custom fields of the customer's kind, plus any stored value of a field no longer active.
  const fields = fieldsForKind(config, c.kind);
  const extra = (config?.customFields ?? []).filter(
    (cf) => !fields.includes(cf) && c.customFields[cf.key] !== undefined && c.customFields[cf.key] !== null,
  );

  return (
    <div>
      {section(t('customers.group.basic'), [
        { key: 'name', label: f('name'), children: c.name, span: 2 },
        {
          key: 'creditCode',
          label: f('creditCode'),
          children: c.creditCode ? <Typography.Text copyable>{c.creditCode}</Typography.Text> : orDash(null),
        },
        { key: 'category', label: f('category'), children: lookups.label('category', c.category) },
        { key: 'kind', label: f('kind'), children: lookups.label('kind', c.kind) },
        { key: 'nature', label: f('nature'), children: orDash(lookups.label('nature', c.nature)) },
        { key: 'grade', label: f('grade'), children: orDash(c.grade) },
        { key: 'creditClass', label: f('creditClass'), children: orDash(creditClass(c.creditClass)) },
        { key: 'secrecy', label: f('secrecy'), children: <SecrecyTag level={c.secrecy} /> },
      ])}
      {section(t('customers.group.registration'), [
        { key: 'legal', label: f('legalRepresentative'), children: orDash(c.legalRepresentative) },
        {
          key: 'capital',
          label: f('registeredCapital'),
          children: orDash(c.registeredCapital && `${c.registeredCapital} ${t('customers.tenThousandYuan')}`),
        },
        { key: 'staff', label: f('staffCount'), children: orDash(c.staffCount) },
        { key: 'address', label: f('registeredAddress'), children: orDash(c.registeredAddress), span: 2 },
        {
          key: 'website',
          label: f('website'),
          children: c.website ? (
            <Typography.Link
              href={/^https?:\/\//i.test(c.website) ? c.website : `http://${c.website}`}
              target="_blank"
              rel="noopener noreferrer"
            >
              {c.website}
            </Typography.Link>
          ) : (
            orDash(null)
          ),
        },
        {
          key: 'scope',
          label: f('businessScope'),
          children: orDash(
            c.businessScope && <span style={{ whiteSpace: 'pre-wrap' }}>{c.businessScope}</span>,
          ),
          span: 'filled',
        },
      ])}
      {section(t('customers.group.contact'), [
        { key: 'phone', label: f('phone'), children: orDash(c.phone) },
        { key: 'email', label: f('email'), children: orDash(c.email) },
        { key: 'source', label: f('source'), children: orDash(lookups.label('source', c.source)) },
        { key: 'region', label: f('region'), children: orDash(c.region) },
        { key: 'industry', label: f('industry'), children: orDash(c.industry) },
      ])}
      {section(t('customers.group.ownership'), [
        { key: 'dept', label: f('department'), children: orDash(c.departmentName) },
        {
          key: 'owners',
          label: f('owners'),
          children: c.owners.length ? (
            <Flex gap={4} wrap>
              {c.owners.map((o) => (
                <Tag key={o.id} style={{ marginInlineEnd: 0 }}>
                  {o.name}
                </Tag>
              ))}
            </Flex>
          ) : (
            orDash(null)
          ),
        },
        { key: 'first', label: f('firstContactDate'), children: c.firstContactDate },
        { key: 'purchase', label: f('firstPurchaseDate'), children: orDash(c.firstPurchaseDate) },
        {
          key: 'status',
          label: f('status'),
          children: <CustomerStatusTag status={c.status} overdue={c.filingOverdue} />,
        },
        { key: 'due', label: f('filingDueDate'), children: c.filingDueDate },
        {
          key: 'filed',
          label: t('customers.filedAt'),
          children: orDash(c.filedAt && formatDateTime(c.filedAt)),
        },
        {
          key: 'created',
          label: t('customers.createdAt'),
          children: `${formatDateTime(c.createdAt)}${c.createdBy ? ` · ${c.createdBy}` : ''}`,
        },
        {
          key: 'updated',
          label: f('updatedAt'),
          children: `${formatDateTime(c.updatedAt)}${c.updatedBy ? ` · ${c.updatedBy}` : ''}`,
        },
      ])}
      {(fields.length > 0 || extra.length > 0) &&
        section(t('customers.group.custom'), [
          ...fields.map((cf) => ({
            key: cf.key,
            label: cf.label,
            children: orDash(customValueText(c.customFields[cf.key])),
          })),
          ...extra.map((cf) => ({
            key: cf.key,
            label: (
              <span>
                {cf.label}
                <Typography.Text type="secondary">{t('customers.inactiveSuffix')}</Typography.Text>
              </span>
            ),
            children: orDash(customValueText(c.customFields[cf.key])),
          })),
        ])}
    </div>
  );
}
