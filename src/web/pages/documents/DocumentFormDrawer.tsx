import { App, Checkbox, Col, DatePicker, Form, Input, InputNumber, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import {
  CARRIER_LABELS,
  CARRIERS,
  DOCUMENT_SOURCE_LABELS,
  DOCUMENT_SOURCES,
} from '../../../common/documents';
import { SECRECY_LABELS, SECRECY_LEVELS, type SecrecyLevel, secrecyRank } from '../../../common/enums';
import type { Document } from '../../../common/schemas/documents';
import type { Project } from '../../../common/schemas/projects';
import { todayInShanghai } from '../../../common/time';
import { formErrorText } from '../../api/client';
import { documentsApi, type RegisterDocumentInput } from '../../api/documents';
import { projectsApi } from '../../api/projects';
import { useAuth } from '../../auth/AuthContext';
import { DepartmentSelect, useDepartments } from '../../components/departments';
import { FilePicker } from '../../components/FilePicker';
import { FormDrawer } from '../../components/FormDrawer';
import { useLabel, useT } from '../../i18n';
import { CustomerPicker } from './CustomerPicker';
import { useCategories, useRetention } from './shared';

interface Values {
  title: string;
  docNumber?: string;
  category: string;
  source: RegisterDocumentInput['source'];
  carrier: RegisterDocumentInput['carrier'];
  versionLabel?: string;
  issueDate?: Dayjs | null;
  receivedDate?: Dayjs | null;
  responsibleParty?: string;
  customerId?: string | null;
  projectId?: string | null;
  departmentId?: string;
  secrecy: SecrecyLevel;
  termKind?: 'none' | 'years' | 'until' | 'long';
  termYears?: number | null;
  termFrom?: Dayjs | null;
  termUntil?: Dayjs | null;
  retention?: RegisterDocumentInput['retention'];
  lifeEndDate?: Dayjs | null;
  pages?: number | null;
  location?: string;
  changesInternal?: string;
  customerAuthorizedBy?: string;
  customerAuthorizedOn?: Dayjs | null;
  productionUse?: boolean;
  remarks?: string;
  note?: string;
}

/** The projects of the chosen customer archive, for the 所属项目 select (项目档案). */
function useCustomerProjects(customerId: string | null): Project[] {
  const [items, setItems] = useState<Project[]>([]);
  useEffect(() => {
    setItems([]);
    if (!customerId) return;
    let live = true;
    projectsApi
      .list(customerId)
      .then((r) => live && setItems(r.items))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [customerId]);
  return items;
}

const day = (d?: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null);

/** 保密期限 as the API takes it (R-P1); none for 普通 records. */
function termOf(v: Values): RegisterDocumentInput['secrecyTerm'] {
  if (v.secrecy === 'normal' || !v.termKind || v.termKind === 'none') return null;
  if (v.termKind === 'long') return { kind: 'long' };
  if (v.termKind === 'until')
    return v.termUntil ? { kind: 'until', until: day(v.termUntil) as string } : null;
  return v.termYears ? { kind: 'years', years: v.termYears, from: day(v.termFrom) } : null;
}
const text = (s?: string) => s ?? '';

/**
 * Registers a document (with an optional first file, uploaded with a progress bar) or edits
 * one's metadata. In a customer's file the customer is fixed.
 */
export function DocumentFormDrawer({
  open,
  editing,
  customer,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** The document whose metadata is edited; absent to register a new one. */
  editing?: Document | null;
  /** Registering into this customer's file. */
  customer?: { id: string; archiveCode: string; name: string } | null;
  onClose: () => void;
  onSaved: (doc: Document) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const { me } = useAuth();
  const [form] = Form.useForm<Values>();
  const departments = useDepartments();
  const categories = useCategories();
  const retention = useRetention();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const category = Form.useWatch('category', form);
  const chosenRetention = Form.useWatch('retention', form);
  const secrecy = Form.useWatch('secrecy', form);
  const termKind = Form.useWatch('termKind', form);
  const chosenCustomer: string | null | undefined = Form.useWatch('customerId', form);
  const projects = useCustomerProjects(customer?.id ?? chosenCustomer ?? null);
  const categoryRetention = categories.categories.find((c) => c.code === category)?.retention;
  const customerCategory = categories.categories.find((c) => c.code === category)?.customerDocuments ?? false;
  const myRank = me ? secrecyRank(me.clearance) : 0;

  const initialValues: Partial<Values> = editing
    ? {
        ...editing,
        docNumber: text(editing.docNumber ?? undefined),
        versionLabel: text(editing.versionLabel ?? undefined),
        responsibleParty: text(editing.responsibleParty ?? undefined),
        termKind: editing.secrecyTermDetail?.kind ?? 'none',
        termYears: editing.secrecyTermDetail?.years ?? null,
        termFrom: editing.secrecyTermDetail?.from ? dayjs(editing.secrecyTermDetail.from) : null,
        termUntil:
          editing.secrecyTermDetail?.kind === 'until' && editing.secrecyTermDetail.until
            ? dayjs(editing.secrecyTermDetail.until)
            : null,
        location: text(editing.location ?? undefined),
        changesInternal: text(editing.changesInternal ?? undefined),
        customerAuthorizedBy: text(editing.customerAuthorizedBy ?? undefined),
        customerAuthorizedOn: editing.customerAuthorizedOn ? dayjs(editing.customerAuthorizedOn) : null,
        lifeEndDate: editing.lifeEndDate ? dayjs(editing.lifeEndDate) : null,
        remarks: text(editing.remarks ?? undefined),
        customerId: editing.customer?.id ?? null,
        projectId: editing.project?.id ?? null,
        issueDate: editing.issueDate ? dayjs(editing.issueDate) : null,
        receivedDate: editing.receivedDate ? dayjs(editing.receivedDate) : null,
      }
    : {
        category: customer ? 'customer_supplied' : undefined,
        source: customer ? 'customer' : 'internal',
        carrier: 'electronic',
        secrecy: 'normal',
        termKind: 'none',
        customerId: customer?.id ?? null,
        // The company's day (Asia/Shanghai), not the browser's.
        receivedDate: dayjs(todayInShanghai()),
      };

  const onFinish = async (v: Values) => {
    setSaving(true);
    setError(null);
    const body = {
      title: v.title,
      docNumber: text(v.docNumber),
      category: v.category,
      source: v.source,
      carrier: v.carrier,
      versionLabel: text(v.versionLabel),
      issueDate: day(v.issueDate),
      receivedDate: day(v.receivedDate),
      responsibleParty: text(v.responsibleParty),
      customerId: customer ? customer.id : (v.customerId ?? null),
      // 项目档案: only with a customer archive; the server checks it is one of that archive.
      projectId: (customer?.id ?? v.customerId) ? (v.projectId ?? null) : null,
      departmentId: v.departmentId || undefined,
      secrecy: v.secrecy,
      secrecyTerm: termOf(v),
      retention: v.retention || undefined,
      lifeEndDate: day(v.lifeEndDate),
      pages: v.pages ?? null,
      location: text(v.location),
      changesInternal: text(v.changesInternal),
      customerAuthorizedBy: text(v.customerAuthorizedBy),
      customerAuthorizedOn: day(v.customerAuthorizedOn),
      productionUse: customerCategory ? Boolean(v.productionUse) : false,
      remarks: text(v.remarks),
    };
    try {
      if (editing) {
        const saved = await documentsApi.update(editing.id, { ...body, note: text(v.note) });
        message.success(t('documents.saved'));
        onSaved(saved);
        return;
      }
      let saved = await documentsApi.register(body);
      message.success(t('documents.registered', { title: saved.title }));
      if (file) {
        setProgress(0);
        await documentsApi.upload(saved.id, file, setProgress);
        saved = await documentsApi.get(saved.id);
      }
      onSaved(saved);
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
      setProgress(null);
    }
  };

  return (
    <FormDrawer
      open={open}
      title={editing ? `${t('documents.editMetadata')}：${editing.title}` : t('documents.register')}
      size={720}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => {
        setFile(null);
        setError(null);
      }}
    >
      <Form<Values>
        name="document"
        form={form}
        layout="vertical"
        onFinish={onFinish}
        autoComplete="off"
        initialValues={initialValues}
        preserve={false}
        key={editing?.id ?? `new-${customer?.id ?? ''}`}
      >
        <Form.Item
          name="title"
          label={t('documents.field.title')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input maxLength={500} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="category" label={t('documents.field.category')} rules={[{ required: true }]}>
              <Select options={categories.options()} disabled={!!editing && editing.status !== 'current'} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="docNumber" label={t('documents.field.docNumber')}>
              <Input maxLength={100} placeholder="Q/ABC 123-2024" />
            </Form.Item>
          </Col>
          {!editing && (
            <>
              <Col span={8}>
                <Form.Item name="versionLabel" label={t('documents.field.versionLabel')}>
                  <Input maxLength={50} placeholder={t('documents.field.versionPlaceholder')} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="issueDate" label={t('documents.field.issueDate')}>
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="receivedDate" label={t('documents.field.receivedDate')}>
                  <DatePicker
                    style={{ width: '100%' }}
                    disabledDate={(d) => d.isAfter(dayjs(todayInShanghai()), 'day')}
                  />
                </Form.Item>
              </Col>
            </>
          )}
          <Col span={12}>
            <Form.Item name="source" label={t('documents.field.source')}>
              <Select
                options={DOCUMENT_SOURCES.map((s) => ({ value: s, label: label(DOCUMENT_SOURCE_LABELS[s]) }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="responsibleParty" label={t('documents.field.responsibleParty')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="customerId" label={t('documents.field.customer')}>
              <CustomerPicker
                initial={customer ?? editing?.customer}
                disabled={!!customer}
                onChange={() => form.setFieldValue('projectId', null)}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="departmentId"
              label={t('documents.field.department')}
              tooltip={t('documents.field.departmentDefault')}
            >
              <DepartmentSelect departments={departments.items} />
            </Form.Item>
          </Col>
          {(customer?.id ?? chosenCustomer) && (
            <Col span={24}>
              <Form.Item name="projectId" label={t('projects.field')} tooltip={t('projects.fieldHint')}>
                <Select
                  allowClear
                  placeholder={t('projects.none')}
                  options={projects
                    .filter((p) => p.status === 'active' || p.id === editing?.project?.id)
                    .map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }))}
                />
              </Form.Item>
            </Col>
          )}
          <Col span={8}>
            <Form.Item
              name="secrecy"
              label={t('documents.field.secrecy')}
              // The archive's level governs when it is higher: say so where the own level is set.
              extra={
                editing && editing.effectiveSecrecy !== editing.secrecy
                  ? t('documents.secrecyEffectiveHint', {
                      level: label(SECRECY_LABELS[editing.effectiveSecrecy]),
                    })
                  : editing
                    ? t('documents.secrecyChange.levelHint')
                    : undefined
              }
            >
              <Select
                // A registered document's level changes only by an approved request (R-P10).
                disabled={!!editing}
                options={SECRECY_LEVELS.map((s) => ({
                  value: s,
                  label: label(SECRECY_LABELS[s]),
                  disabled: secrecyRank(s) > myRank,
                }))}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="termKind"
              label={t('documents.field.secrecyTerm')}
              extra={
                editing?.secrecyTerm && !editing.secrecyTermDetail
                  ? t('documents.term.legacy', { text: editing.secrecyTerm })
                  : undefined
              }
            >
              <Select
                disabled={secrecy === 'normal'}
                options={(['none', 'years', 'until', 'long'] as const).map((k) => ({
                  value: k,
                  label: t(`documents.term.${k}`),
                }))}
              />
            </Form.Item>
          </Col>
          {secrecy !== 'normal' && termKind === 'years' && (
            <>
              <Col span={8}>
                <Form.Item name="termYears" label={t('documents.term.years')} rules={[{ required: true }]}>
                  <InputNumber min={1} max={99} precision={0} addonAfter="年" style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item
                  name="termFrom"
                  label={t('documents.term.from')}
                  extra={t('documents.term.fromHint')}
                >
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </>
          )}
          {secrecy !== 'normal' && termKind === 'until' && (
            <Col span={8}>
              <Form.Item name="termUntil" label={t('documents.term.untilDate')} rules={[{ required: true }]}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          )}
          <Col span={8}>
            <Form.Item name="retention" label={t('documents.field.retention')}>
              <Select
                allowClear
                placeholder={
                  categoryRetention
                    ? t('documents.field.retentionDefault', {
                        value: retention.label(categoryRetention),
                      })
                    : undefined
                }
                options={retention.options}
              />
            </Form.Item>
          </Col>
          {(chosenRetention ?? categoryRetention ?? '').startsWith('L') && (
            <Col span={8}>
              <Form.Item name="lifeEndDate" label={t('retention.card.lifeEnd')}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          )}
          <Col span={8}>
            <Form.Item name="carrier" label={t('documents.field.carrier')}>
              <Select options={CARRIERS.map((c) => ({ value: c, label: label(CARRIER_LABELS[c]) }))} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="pages" label={t('documents.field.pages')}>
              <InputNumber min={0} max={1_000_000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="location" label={t('documents.field.location')}>
              <Input maxLength={200} placeholder={t('documents.field.locationPlaceholder')} />
            </Form.Item>
          </Col>
        </Row>
        {customerCategory && (
          <Form.Item
            name="productionUse"
            valuePropName="checked"
            extra={t('documents.field.productionUseHint')}
          >
            <Checkbox>{t('documents.field.productionUse')}</Checkbox>
          </Form.Item>
        )}
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="customerAuthorizedBy"
              label={t('documents.field.customerAuthorizedBy')}
              tooltip={t('documents.field.customerAuthorizedHint')}
            >
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="customerAuthorizedOn" label={t('documents.field.customerAuthorizedOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="changesInternal" label={t('documents.field.changesInternal')}>
          <Input maxLength={500} placeholder={t('documents.field.changesInternalPlaceholder')} />
        </Form.Item>
        <Form.Item name="remarks" label={t('documents.field.remarks')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        {editing ? (
          <Form.Item name="note" label={t('documents.changeNote')}>
            <Input maxLength={500} />
          </Form.Item>
        ) : (
          <Form.Item label={t('documents.field.file')} extra={t('documents.field.fileHint')}>
            <FilePicker file={file} onChange={setFile} progress={progress} />
          </Form.Item>
        )}
      </Form>
    </FormDrawer>
  );
}
