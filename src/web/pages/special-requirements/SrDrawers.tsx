import {
  Alert,
  App,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Spin,
  Switch,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import {
  ACTION_KIND_LABELS,
  ACTION_KINDS,
  ACTION_MAX_DUE_DAYS,
  type ActionKind,
} from '../../../common/actions';
import { sameDepartmentCode } from '../../../common/departments';
import { VERSION_STATUS_LABELS } from '../../../common/documents';
import type { Document } from '../../../common/schemas/documents';
import type { Requirement } from '../../../common/schemas/special-requirements';
import {
  SR_DOCUMENT_ROLE_LABELS,
  SR_DOCUMENT_ROLES,
  SR_REVIEW_DECISION_LABELS,
  SR_REVIEW_DECISIONS,
  SR_REVIEW_DEPARTMENTS,
  type SrDocumentRole,
  type SrReviewDecision,
} from '../../../common/special-requirements';
import { formErrorText } from '../../api/client';
import { documentsApi } from '../../api/documents';
import { srApi } from '../../api/special-requirements';
import { useDepartments } from '../../components/departments';
import { FormDrawer } from '../../components/FormDrawer';
import { UserSelect } from '../../components/UserSelect';
import { useLabel, useT } from '../../i18n';
import { day, text, useCustomerDocuments, useSrCategories, useSrConfig } from './shared';

// The drawers of a requirement's page: 请求评审, a department's 评审, 关联文件, 编辑, 新增措施, and
// the one-field drawers (不适用 / 已废止 with a reason, 已复核 / 已传达项目组 / 已落实 with a note).

function useSave<T>(onDone: (saved: T) => void) {
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (form: Parameters<typeof formErrorText>[0], call: () => Promise<T>, done: string) => {
    setSaving(true);
    setError(null);
    try {
      const saved = await call();
      message.success(done);
      onDone(saved);
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };
  return { saving, error, setError, run };
}

/** 请求评审: the departments concerned (品质, 工程, 生产, 采购, 物流 by default). */
export function RequestReviewsDrawer({
  open,
  r,
  onClose,
  onDone,
}: {
  open: boolean;
  r: Requirement;
  onClose: () => void;
  onDone: (r: Requirement) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{
    departmentIds: string[];
    ownerDepartmentId?: string | null;
    note?: string;
  }>();
  const save = useSave(onDone);
  const departments = useDepartments();
  const { config } = useSrConfig();
  const asked = new Set(r.reviews.map((v) => v.department.id));
  const active = departments.items.filter((d) => d.active);
  // The settings' default departments; without them, the usual five matched by code or name.
  const configured = config?.settings.reviewDepartmentIds ?? [];
  const defaults = (
    configured.length
      ? active.filter((d) => configured.includes(d.id))
      : active.filter((d) =>
          SR_REVIEW_DEPARTMENTS.some(
            (k) =>
              sameDepartmentCode(d.code, k.key) ||
              d.name === k.label.zh ||
              d.name.startsWith(k.label.zh.slice(0, 2)),
          ),
        )
  )
    .map((d) => d.id)
    .filter((id) => !asked.has(id));
  const chosen = Form.useWatch('departmentIds', form) ?? [];
  const ownerChoices = active.filter((d) => asked.has(d.id) || chosen.includes(d.id));
  const seeded = useRef(false);
  useEffect(() => {
    if (open && !departments.loading && config && !seeded.current) {
      seeded.current = true;
      form.setFieldsValue({ departmentIds: defaults, ownerDepartmentId: r.ownerDepartment?.id ?? null });
    }
    if (!open) seeded.current = false;
  });
  return (
    <FormDrawer
      open={open}
      title={t('sr.reviews.requestTitle', { number: r.number })}
      size={520}
      form={form}
      saving={save.saving}
      error={save.error}
      onClose={onClose}
      afterClose={() => {
        form.resetFields();
        save.setError(null);
      }}
      saveText={t('sr.reviews.requestSave')}
    >
      <Typography.Paragraph type="secondary">{t('sr.reviews.requestIntro')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          save.run(
            form,
            () =>
              srApi.requestReviews(r.id, {
                departmentIds: v.departmentIds,
                ...(v.ownerDepartmentId ? { ownerDepartmentId: v.ownerDepartmentId } : {}),
                note: text(v.note),
              }),
            t('sr.reviews.requested'),
          )
        }
      >
        <Form.Item name="departmentIds" label={t('sr.reviews.departments')} rules={[{ required: true }]}>
          <Select
            mode="multiple"
            loading={departments.loading}
            showSearch={{ optionFilterProp: 'label' }}
            options={active.map((d) => ({
              value: d.id,
              label: asked.has(d.id) ? `${d.name}${t('sr.reviews.alreadyAsked')}` : d.name,
            }))}
          />
        </Form.Item>
        <Form.Item
          name="ownerDepartmentId"
          label={t('sr.reviews.ownerDepartment')}
          extra={t('sr.reviews.ownerDepartmentHelp')}
        >
          <Select
            allowClear
            data-testid="sr-owner-department"
            options={ownerChoices.map((d) => ({ value: d.id, label: d.name }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('sr.reviews.note')}>
          <Input.TextArea rows={3} maxLength={1000} placeholder={t('sr.reviews.notePlaceholder')} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

/** A department's review: 适用 / 不适用, what it decided, who carries it out. */
export function ReviewDrawer({
  r,
  review,
  onClose,
  onDone,
}: {
  r: Requirement;
  review: Requirement['reviews'][number] | null;
  onClose: () => void;
  onDone: (r: Requirement) => void;
}) {
  const t = useT();
  const label = useLabel();
  const [form] = Form.useForm<{ decision: SrReviewDecision; note?: string; ownerId?: string }>();
  const save = useSave(onDone);
  const decision = Form.useWatch('decision', form);
  return (
    <FormDrawer
      open={!!review}
      title={
        review ? t('sr.reviews.reviewTitle', { department: review.department.name, number: r.number }) : ''
      }
      size={520}
      form={form}
      saving={save.saving}
      error={save.error}
      onClose={onClose}
      afterClose={() => {
        form.resetFields();
        save.setError(null);
      }}
    >
      {review && (
        <Form
          form={form}
          layout="vertical"
          initialValues={{
            decision: review.decision ?? 'applicable',
            note: review.note ?? undefined,
            ownerId: review.owner?.id,
          }}
          onFinish={(v) =>
            save.run(
              form,
              () =>
                srApi.review(r.id, review.department.id, {
                  decision: v.decision,
                  note: text(v.note),
                  ownerId: v.decision === 'applicable' ? (v.ownerId ?? null) : null,
                }),
              t('sr.reviews.saved'),
            )
          }
        >
          <Typography.Paragraph>
            <Typography.Text strong>{r.title}</Typography.Text>
            <br />
            <span style={{ whiteSpace: 'pre-wrap' }}>{r.text}</span>
          </Typography.Paragraph>
          <Form.Item name="decision" label={t('sr.reviews.decision')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={SR_REVIEW_DECISIONS.map((d) => ({
                value: d,
                label: label(SR_REVIEW_DECISION_LABELS[d]),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="note"
            label={t('sr.reviews.decisionNote')}
            extra={
              decision === 'applicable' ? t('sr.reviews.applicableHelp') : t('sr.reviews.notApplicableHelp')
            }
          >
            <Input.TextArea rows={4} maxLength={2000} />
          </Form.Item>
          {decision === 'applicable' && (
            <Form.Item name="ownerId" label={t('sr.reviews.owner')} extra={t('sr.reviews.ownerHelp')}>
              <UserSelect
                allowClear
                departmentId={review.department.id}
                known={review.owner ? [review.owner] : []}
              />
            </Form.Item>
          )}
        </Form>
      )}
    </FormDrawer>
  );
}

interface LinkValues {
  documentId?: string;
  versionId?: string;
  role: SrDocumentRole;
  note?: string;
}

/** 关联文件: an internal document of the register (control plan, PFMEA …) and the version that
 * implements the requirement. */
export function LinkDocumentDrawer({
  open,
  r,
  onClose,
  onDone,
}: {
  open: boolean;
  r: Requirement;
  onClose: () => void;
  onDone: (r: Requirement) => void;
}) {
  const t = useT();
  const label = useLabel();
  const [form] = Form.useForm<LinkValues>();
  const save = useSave(onDone);
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [searching, setSearching] = useState(false);
  const [doc, setDoc] = useState<Document | null>(null);
  const [loadingDoc, setLoadingDoc] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  const search = (q: string) => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(async () => {
      setSearching(true);
      try {
        const page = await documentsApi.list({ q: q.trim() || undefined, status: 'current' }, null, 30);
        setOptions(
          page.items.map((d) => ({
            value: d.id,
            label: `${d.docNumber ? `${d.docNumber} ` : ''}${d.title}${d.versionLabel ? `（${d.versionLabel}）` : ''}`,
          })),
        );
      } catch {
        // The save reports real errors.
      } finally {
        setSearching(false);
      }
    }, 250);
  };
  const pick = async (id: string | undefined) => {
    form.setFieldValue('versionId', undefined);
    setDoc(null);
    if (!id) return;
    setLoadingDoc(true);
    try {
      const d = await documentsApi.get(id);
      setDoc(d);
      // The newest version: a draft being prepared, or the current one.
      const newest = d.versions.slice().sort((a, b) => b.seq - a.seq)[0];
      form.setFieldValue('versionId', newest?.id);
    } catch {
      setDoc(null);
    } finally {
      setLoadingDoc(false);
    }
  };
  const versionId = Form.useWatch('versionId', form);
  const chosen = doc?.versions.find((v) => v.id === versionId);
  return (
    <FormDrawer
      open={open}
      title={t('sr.links.title', { number: r.number })}
      size={560}
      form={form}
      saving={save.saving}
      error={save.error}
      onClose={onClose}
      afterClose={() => {
        form.resetFields();
        setDoc(null);
        setOptions([]);
        save.setError(null);
      }}
      saveText={t('sr.links.save')}
    >
      <Typography.Paragraph type="secondary">{t('sr.links.intro')}</Typography.Paragraph>
      <Form<LinkValues>
        form={form}
        layout="vertical"
        initialValues={{ role: 'control_plan' }}
        onFinish={(v) =>
          save.run(
            form,
            () =>
              srApi.link(r.id, {
                documentId: v.documentId ?? '',
                versionId: v.versionId ?? null,
                role: v.role,
                note: text(v.note),
              }),
            t('sr.links.done'),
          )
        }
      >
        <Form.Item name="role" label={t('sr.links.role')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={SR_DOCUMENT_ROLES.map((k) => ({ value: k, label: label(SR_DOCUMENT_ROLE_LABELS[k]) }))}
          />
        </Form.Item>
        <Form.Item name="documentId" label={t('sr.links.document')} rules={[{ required: true }]}>
          <Select
            showSearch={{ filterOption: false, onSearch: search }}
            allowClear
            options={options}
            onFocus={() => options.length === 0 && search('')}
            onChange={(v) => pick(v as string | undefined)}
            notFoundContent={searching ? <Spin size="small" /> : t('sr.links.noDocument')}
            placeholder={t('sr.links.documentPlaceholder')}
          />
        </Form.Item>
        <Form.Item name="versionId" label={t('sr.links.version')} extra={t('sr.links.versionHelp')}>
          <Select
            loading={loadingDoc}
            disabled={!doc}
            options={(doc?.versions ?? [])
              .slice()
              .sort((a, b) => b.seq - a.seq)
              .map((v) => ({
                value: v.id,
                label: `${v.label ?? `#${v.seq}`} · ${label(VERSION_STATUS_LABELS[v.status])}`,
              }))}
          />
        </Form.Item>
        {chosen && chosen.status !== 'current' && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('sr.links.notCurrentWarning')}
          />
        )}
        <Form.Item name="note" label={t('sr.links.note')}>
          <Input maxLength={500} placeholder={t('sr.links.notePlaceholder')} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

interface EditValues {
  sourceDocumentId?: string | null;
  sourceClause?: string;
  category: string;
  title: string;
  text: string;
  receivedOn: Dayjs;
  partNumbers: string[];
  ownerDepartmentId?: string | null;
  afterMassProduction: boolean;
  note?: string;
}

/** 编辑: the fields of the requirement; every change is kept in its history with the reason. */
export function EditRequirementDrawer({
  open,
  r,
  onClose,
  onDone,
}: {
  open: boolean;
  r: Requirement;
  onClose: () => void;
  onDone: (r: Requirement) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<EditValues>();
  const save = useSave(onDone);
  const categories = useSrCategories();
  const departments = useDepartments();
  const documents = useCustomerDocuments(open ? r.customer.id : undefined);
  return (
    <FormDrawer
      open={open}
      title={t('sr.edit.title', { number: r.number })}
      size={600}
      form={form}
      saving={save.saving}
      error={save.error}
      onClose={onClose}
      afterClose={() => save.setError(null)}
    >
      <Form<EditValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          sourceDocumentId: r.source?.documentId ?? null,
          sourceClause: r.source?.clause ?? undefined,
          category: r.category,
          title: r.title,
          text: r.text,
          receivedOn: dayjs(r.receivedOn),
          partNumbers: r.partNumbers,
          ownerDepartmentId: r.ownerDepartment?.id ?? null,
          afterMassProduction: r.afterMassProduction,
        }}
        onFinish={(v) =>
          save.run(
            form,
            () =>
              srApi.update(r.id, {
                sourceDocumentId: v.sourceDocumentId ?? null,
                sourceClause: text(v.sourceClause),
                category: v.category,
                title: v.title,
                text: v.text,
                receivedOn: day(v.receivedOn),
                partNumbers: (v.partNumbers ?? []).map((p) => p.trim()).filter(Boolean),
                ownerDepartmentId: v.ownerDepartmentId ?? null,
                afterMassProduction: v.afterMassProduction,
                note: text(v.note),
              }),
            t('common.saved'),
          )
        }
      >
        <Form.Item name="sourceDocumentId" label={t('sr.field.sourceDocument')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={documents.loading}
            options={
              r.source && !documents.items.some((d) => d.value === r.source?.documentId)
                ? [{ value: r.source.documentId, label: r.source.title }, ...documents.items]
                : documents.items
            }
          />
        </Form.Item>
        <Form.Item name="sourceClause" label={t('sr.field.clause')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="category" label={t('sr.field.category')} rules={[{ required: true }]}>
          <Select options={categories.options} />
        </Form.Item>
        <Form.Item name="title" label={t('sr.field.title')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="text" label={t('sr.field.text')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea maxLength={5000} autoSize={{ minRows: 4, maxRows: 10 }} />
        </Form.Item>
        <Form.Item name="receivedOn" label={t('sr.field.receivedOn')} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} allowClear={false} />
        </Form.Item>
        <Form.Item name="partNumbers" label={t('sr.field.partNumbers')} extra={t('sr.new.partNumbersHelp')}>
          <Select
            mode="tags"
            tokenSeparators={[',', '，', ' ', ';', '；']}
            open={false}
            placeholder={t('sr.appliesToAll')}
          />
        </Form.Item>
        <Form.Item name="ownerDepartmentId" label={t('sr.field.ownerDepartment')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            options={departments.items.filter((d) => d.active).map((d) => ({ value: d.id, label: d.name }))}
          />
        </Form.Item>
        <Form.Item
          name="afterMassProduction"
          label={t('sr.field.afterMassProduction')}
          valuePropName="checked"
          extra={t('sr.new.afterMassProductionHelp')}
        >
          <Switch />
        </Form.Item>
        <Form.Item name="note" label={t('sr.edit.note')} extra={t('sr.edit.noteHelp')}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

export type OneFieldKind = 'notApplicable' | 'obsolete' | 'rechecked' | 'informed';

/** 不适用 / 已废止 need a reason; 已复核 / 已传达项目组 take an optional note. */
export function OneFieldDrawer({
  kind,
  r,
  onClose,
  onDone,
}: {
  kind: OneFieldKind | null;
  r: Requirement;
  onClose: () => void;
  onDone: (r: Requirement) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ value?: string }>();
  const save = useSave(onDone);
  const needsReason = kind === 'notApplicable' || kind === 'obsolete';
  const call = (value: string | undefined) => {
    switch (kind) {
      case 'notApplicable':
        return srApi.notApplicable(r.id, { reason: value ?? '' });
      case 'obsolete':
        return srApi.obsolete(r.id, { reason: value ?? '' });
      case 'rechecked':
        return srApi.rechecked(r.id, { note: text(value) });
      default:
        return srApi.informed(r.id, { note: text(value) });
    }
  };
  return (
    <FormDrawer
      open={!!kind}
      title={kind ? t(`sr.one.${kind}.title`, { number: r.number }) : ''}
      form={form}
      saving={save.saving}
      error={save.error}
      onClose={onClose}
      afterClose={() => {
        form.resetFields();
        save.setError(null);
      }}
      saveText={kind ? t(`sr.one.${kind}.save`) : undefined}
    >
      {kind && (
        <>
          <Typography.Paragraph type="secondary">{t(`sr.one.${kind}.intro`)}</Typography.Paragraph>
          {kind === 'rechecked' && r.recheckReason && (
            <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={r.recheckReason} />
          )}
          <Form
            form={form}
            layout="vertical"
            onFinish={(v) => save.run(form, () => call(v.value), t(`sr.one.${kind}.done`))}
          >
            <Form.Item
              name="value"
              label={needsReason ? t('sr.one.reason') : t('sr.one.note')}
              rules={needsReason ? [{ required: true, whitespace: true }] : []}
            >
              <Input.TextArea rows={4} maxLength={1000} />
            </Form.Item>
          </Form>
        </>
      )}
    </FormDrawer>
  );
}

interface RaiseValues {
  kind: ActionKind;
  description?: string;
  ownerId?: string;
  dueDays?: number;
}

/** 新增措施 on a requirement: what is to be done, who does it, within how many working days. */
export function RaiseSrActionDrawer({
  open,
  r,
  onClose,
  onDone,
}: {
  open: boolean;
  r: Requirement;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const label = useLabel();
  const [form] = Form.useForm<RaiseValues>();
  const save = useSave(onDone);
  const owners = r.reviews.filter((v) => v.owner).map((v) => v.owner as { id: string; name: string });
  return (
    <FormDrawer
      open={open}
      title={t('actions.raise.title', { number: r.number })}
      size={560}
      form={form}
      saving={save.saving}
      error={save.error}
      onClose={onClose}
      afterClose={() => save.setError(null)}
      saveText={t('actions.raise.save')}
    >
      <Form<RaiseValues>
        form={form}
        layout="vertical"
        preserve={false}
        autoComplete="off"
        initialValues={{ kind: 'preventive', dueDays: 5, ownerId: owners[0]?.id }}
        onFinish={(v) =>
          save.run(
            form,
            () =>
              srApi.raiseAction(r.id, {
                kind: v.kind,
                description: v.description ?? '',
                ownerId: v.ownerId ?? '',
                dueDays: v.dueDays ?? 0,
              }),
            t('actions.done.raised'),
          )
        }
      >
        <Form.Item name="kind" label={t('actions.field.kind')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={ACTION_KINDS.map((k) => ({ value: k, label: label(ACTION_KIND_LABELS[k]) }))}
          />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('actions.field.description')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input.TextArea
            maxLength={2000}
            autoSize={{ minRows: 3, maxRows: 8 }}
            placeholder={t('sr.actions.placeholder')}
          />
        </Form.Item>
        <Form.Item
          name="ownerId"
          label={t('actions.field.owner')}
          rules={[{ required: true }]}
          extra={t('actions.raise.ownerHelp')}
        >
          <UserSelect known={owners} />
        </Form.Item>
        <Form.Item
          name="dueDays"
          label={t('actions.field.dueDays')}
          rules={[{ required: true }]}
          extra={t('actions.raise.dueHelp')}
        >
          <InputNumber
            min={0}
            max={ACTION_MAX_DUE_DAYS}
            precision={0}
            suffix={t('actions.raise.workingDays')}
            style={{ width: 200 }}
          />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
