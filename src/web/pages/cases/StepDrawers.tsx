import {
  App,
  Col,
  DatePicker,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import {
  CAUSE_CATEGORIES,
  CAUSE_LABELS,
  type CauseCategory,
  DISPOSITION_LABELS,
  DISPOSITIONS,
  type Disposition,
  OPINION_LABELS,
  OPINIONS,
  type Opinion,
  REPLY_WAY_LABELS,
  REPLY_WAYS,
  type ReplyWay,
} from '../../../common/cases';
import type { FieldError } from '../../../common/errors';
import type { Case } from '../../../common/schemas/cases';
import { casesApi } from '../../api/cases';
import { formErrorText } from '../../api/client';
import { DepartmentSelect, useDepartments } from '../../components/departments';
import { FilePicker } from '../../components/FilePicker';
import { FormDrawer } from '../../components/FormDrawer';
import { UserSelect } from '../../components/UserSelect';
import { useLabel, useT } from '../../i18n';

// The drawers of a case's steps: triage (成立 → department and handler / 不成立 → the reply),
// dispatch, the investigation, the reply, the revisit and an attachment. Each posts one step and
// hands the case back; the server's field errors go under their fields.

export type Step = 'triage' | 'dispatch' | 'investigation' | 'reply' | 'revisit' | 'file';

const text = (s?: string | null) => (s?.trim() ? s.trim() : null);
const instant = (d?: Dayjs | null) => (d ? d.format() : undefined);

/** Shared state of a step drawer: saving, the alert text, and submit with error mapping. */
function useStep(onDone: (c: Case) => void) {
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (form: Parameters<typeof formErrorText>[0], call: () => Promise<Case>, done: string) => {
    setSaving(true);
    setError(null);
    try {
      const c = await call();
      message.success(done);
      onDone(c);
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };
  return { saving, error, setError, run };
}

const whenField = (
  t: ReturnType<typeof useT>,
  name: string | string[],
  labelKey: Parameters<typeof t>[0],
) => (
  <Form.Item name={name} label={t(labelKey)} rules={[{ required: true }]}>
    <DatePicker
      showTime={{ format: 'HH:mm' }}
      format="YYYY-MM-DD HH:mm"
      style={{ width: '100%' }}
      disabledDate={(d) => d.isAfter(dayjs(), 'day')}
      allowClear={false}
    />
  </Form.Item>
);

function WayField({ name = 'way' }: { name?: string | string[] }) {
  const t = useT();
  const label = useLabel();
  return (
    <Form.Item name={name} label={t('cases.field.replyWay')} rules={[{ required: true }]}>
      <Radio.Group
        optionType="button"
        options={REPLY_WAYS.map((w) => ({ value: w, label: label(REPLY_WAY_LABELS[w]) }))}
      />
    </Form.Item>
  );
}

interface AssignValues {
  justified: boolean;
  departmentId?: string;
  handlerId?: string;
  note?: string;
  /** Named as the API names them (reply.text …), so that its field errors land here. */
  reply?: { text?: string; way?: ReplyWay; repliedAt?: Dayjs };
}

/** 判定 (a complaint) or 派工 (a service request): to a department and a handler. */
export function AssignDrawer({
  open,
  c,
  mode,
  onClose,
  onDone,
}: {
  open: boolean;
  c: Case;
  /** reassign: 改派 while 处理中, to another department or handler. */
  mode: 'triage' | 'dispatch' | 'reassign';
  onClose: () => void;
  onDone: (c: Case) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<AssignValues>();
  const departments = useDepartments();
  const step = useStep(onDone);
  const justified = Form.useWatch('justified', form) ?? true;
  const departmentId = Form.useWatch('departmentId', form);
  const triage = mode === 'triage';

  const onFinish = (v: AssignValues) => {
    if (triage && !v.justified) {
      return step.run(
        form,
        () =>
          casesApi.triage(c.id, {
            justified: false,
            note: text(v.note),
            reply: {
              text: v.reply?.text ?? '',
              way: v.reply?.way ?? 'phone',
              repliedAt: instant(v.reply?.repliedAt),
            },
          }),
        t('cases.done.unjustified'),
      );
    }
    const body = { departmentId: v.departmentId ?? '', handlerId: v.handlerId ?? '', note: text(v.note) };
    return step.run(
      form,
      () => (triage ? casesApi.triage(c.id, { justified: true, ...body }) : casesApi.dispatch(c.id, body)),
      mode === 'reassign' ? t('cases.done.reassigned') : t('cases.done.assigned'),
    );
  };
  const title =
    mode === 'triage'
      ? t('cases.action.triage')
      : mode === 'reassign'
        ? t('cases.action.reassign')
        : t('cases.action.dispatch');

  return (
    <FormDrawer
      open={open}
      title={`${title}${t('common.colon')}${c.number}`}
      size={560}
      form={form}
      saving={step.saving}
      error={step.error}
      onClose={onClose}
      afterClose={() => step.setError(null)}
      saveText={
        triage && !justified
          ? t('cases.triage.closeUnjustified')
          : mode === 'reassign'
            ? t('cases.action.reassign')
            : t('cases.triage.assign')
      }
    >
      <Form<AssignValues>
        name="assign"
        form={form}
        layout="vertical"
        onFinish={onFinish}
        preserve={false}
        autoComplete="off"
        initialValues={{
          justified: true,
          departmentId: c.handlingDepartment?.id ?? c.responsibleDepartment?.id,
          reply: { way: 'phone', repliedAt: dayjs() },
        }}
      >
        {triage && (
          <Form.Item name="justified" label={t('cases.triage.question')}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={[
                { value: true, label: t('cases.triage.justified') },
                { value: false, label: t('cases.triage.unjustified') },
              ]}
            />
          </Form.Item>
        )}
        {!triage || justified ? (
          <>
            {mode === 'reassign' && (
              <Typography.Paragraph>
                {t('cases.reassign.current', {
                  department: c.handlingDepartment?.name ?? '—',
                  handler: c.handler?.name ?? '—',
                })}
              </Typography.Paragraph>
            )}
            <Typography.Paragraph type="secondary">{t('cases.triage.assignHelp')}</Typography.Paragraph>
            <Form.Item
              name="departmentId"
              label={t('cases.field.handlingDepartment')}
              rules={[{ required: true }]}
            >
              <DepartmentSelect
                departments={departments.items}
                onChange={() => form.setFieldValue('handlerId', undefined)}
              />
            </Form.Item>
            <Form.Item name="handlerId" label={t('cases.field.handler')} rules={[{ required: true }]}>
              <UserSelect
                key={departmentId ?? 'none'}
                departmentId={departmentId}
                disabled={!departmentId}
                exclude={[
                  ...(c.responsible ? [c.responsible.id] : []),
                  ...(mode === 'reassign' && c.handler ? [c.handler.id] : []),
                ]}
              />
            </Form.Item>
          </>
        ) : (
          <>
            <Typography.Paragraph type="secondary">{t('cases.triage.unjustifiedHelp')}</Typography.Paragraph>
            <Form.Item
              name={['reply', 'text']}
              label={t('cases.field.replyText')}
              rules={[{ required: true, whitespace: true }]}
            >
              <Input.TextArea maxLength={3000} autoSize={{ minRows: 4, maxRows: 10 }} />
            </Form.Item>
            <WayField name={['reply', 'way']} />
            {whenField(t, ['reply', 'repliedAt'], 'cases.field.repliedAt')}
          </>
        )}
        <Form.Item name="note" label={t('cases.field.triageNote')}>
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

interface InvestigationValues {
  causeCategory?: CauseCategory | null;
  analysis?: string;
  containment?: string;
  solution?: string;
  responsibleDepartmentId?: string | null;
  responsibleUserId?: string | null;
  verification?: string;
  returnQuantity?: number | null;
  returnDisposition?: Disposition | null;
  returnReceivedOn?: Dayjs | null;
  returnNote?: string;
}

/** 调查与措施 (R-Q4): cause, analysis, containment, solution, responsibility, verification, returns. */
export function InvestigationDrawer({
  open,
  c,
  errors,
  onClose,
  onDone,
}: {
  open: boolean;
  c: Case;
  /** Field errors to show at once (处理完成 refused for missing findings). */
  errors?: FieldError[];
  onClose: () => void;
  onDone: (c: Case) => void;
}) {
  const t = useT();
  const label = useLabel();
  const [form] = Form.useForm<InvestigationValues>();
  const departments = useDepartments();
  const step = useStep(onDone);
  const responsibleDepartmentId = Form.useWatch('responsibleDepartmentId', form);
  const complaint = c.kind === 'complaint';
  const inv = c.investigation;

  const onFinish = (v: InvestigationValues) =>
    step.run(
      form,
      () =>
        casesApi.investigation(c.id, {
          causeCategory: v.causeCategory ?? null,
          analysis: text(v.analysis),
          containment: text(v.containment),
          solution: text(v.solution),
          responsibleDepartmentId: v.responsibleDepartmentId ?? null,
          responsibleUserId: v.responsibleUserId ?? null,
          verification: text(v.verification),
          returnQuantity: v.returnQuantity ?? null,
          returnDisposition: v.returnDisposition ?? null,
          returnReceivedOn: v.returnReceivedOn ? v.returnReceivedOn.format('YYYY-MM-DD') : null,
          returnNote: text(v.returnNote),
        }),
      t('cases.done.investigation'),
    );

  return (
    <FormDrawer
      open={open}
      title={`${t('cases.section.investigation')}：${c.number}`}
      size={720}
      form={form}
      saving={step.saving}
      error={step.error}
      onClose={onClose}
      afterClose={() => step.setError(null)}
    >
      <Form<InvestigationValues>
        name="investigation"
        form={form}
        layout="vertical"
        onFinish={onFinish}
        preserve={false}
        autoComplete="off"
        initialValues={{
          causeCategory: inv.causeCategory,
          analysis: inv.analysis ?? undefined,
          containment: inv.containment ?? undefined,
          solution: inv.solution ?? undefined,
          verification: inv.verification ?? undefined,
          responsibleDepartmentId: c.responsibleDepartment?.id ?? null,
          responsibleUserId: c.responsible?.id ?? null,
          returnQuantity: c.return.quantity,
          returnDisposition: c.return.disposition,
          returnReceivedOn: c.return.receivedOn ? dayjs(c.return.receivedOn) : null,
          returnNote: c.return.note ?? undefined,
        }}
      >
        <Typography.Paragraph type="secondary">
          {complaint ? t('cases.investigation.helpComplaint') : t('cases.investigation.helpService')}
        </Typography.Paragraph>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="causeCategory" label={t('cases.field.cause')} required={complaint}>
              <Select
                allowClear
                options={CAUSE_CATEGORIES.map((x) => ({ value: x, label: label(CAUSE_LABELS[x]) }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="analysis" label={t('cases.field.analysis')} required={complaint}>
          <Input.TextArea maxLength={5000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
        <Form.Item name="containment" label={t('cases.field.containment')}>
          <Input.TextArea maxLength={3000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
        <Form.Item name="solution" label={t('cases.field.solution')} required>
          <Input.TextArea maxLength={5000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="responsibleDepartmentId" label={t('cases.field.responsibleDepartment')}>
              <DepartmentSelect departments={departments.items} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="responsibleUserId" label={t('cases.field.responsiblePerson')}>
              <UserSelect departmentId={responsibleDepartmentId ?? undefined} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="verification"
          label={t('cases.field.verification')}
          extra={t('cases.investigation.verificationHelp')}
        >
          <Input.TextArea maxLength={3000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
        <Typography.Title level={5}>{t('cases.section.return')}</Typography.Title>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="returnQuantity" label={t('cases.field.returnQuantity')}>
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="returnDisposition" label={t('cases.field.returnDisposition')}>
              <Select
                allowClear
                options={DISPOSITIONS.map((x) => ({ value: x, label: label(DISPOSITION_LABELS[x]) }))}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="returnReceivedOn" label={t('cases.field.returnReceivedOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="returnNote" label={t('cases.field.returnNote')}>
          <Input maxLength={1000} />
        </Form.Item>
        <ShowErrors form={form} errors={errors} />
      </Form>
    </FormDrawer>
  );
}

/** Marks fields with errors the server gave before the form opened; placed after the fields, so
 * that they are registered when its effect runs. */
function ShowErrors({ form, errors }: { form: FormInstance; errors?: FieldError[] }) {
  useEffect(() => {
    if (errors?.length) form.setFields(errors.map((e) => ({ name: e.field, errors: [e.message] })));
  }, [form, errors]);
  return null;
}

interface ReplyValues {
  text: string;
  way: ReplyWay;
  repliedAt: Dayjs;
}

/** 答复客户: an interim answer while handling, or the outcome once resolved. */
export function ReplyDrawer({
  open,
  c,
  onClose,
  onDone,
}: {
  open: boolean;
  c: Case;
  onClose: () => void;
  onDone: (c: Case) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<ReplyValues>();
  const step = useStep(onDone);
  const final = c.status === 'to_reply';
  return (
    <FormDrawer
      open={open}
      title={`${final ? t('cases.reply.finalTitle') : t('cases.reply.interimTitle')}：${c.number}`}
      size={560}
      form={form}
      saving={step.saving}
      error={step.error}
      onClose={onClose}
      afterClose={() => step.setError(null)}
      saveText={t('cases.reply.save')}
    >
      <Form<ReplyValues>
        name="reply"
        form={form}
        layout="vertical"
        preserve={false}
        autoComplete="off"
        initialValues={{ way: 'phone', repliedAt: dayjs() }}
        onFinish={(v) =>
          step.run(
            form,
            () => casesApi.reply(c.id, { text: v.text, way: v.way, repliedAt: instant(v.repliedAt) }),
            t('cases.done.replied'),
          )
        }
      >
        <Typography.Paragraph type="secondary">
          {final ? t('cases.reply.finalHelp') : t('cases.reply.interimHelp')}
        </Typography.Paragraph>
        <Form.Item
          name="text"
          label={t('cases.field.replyText')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input.TextArea maxLength={3000} autoSize={{ minRows: 4, maxRows: 10 }} />
        </Form.Item>
        <WayField />
        {whenField(t, 'repliedAt', 'cases.field.repliedAt')}
      </Form>
    </FormDrawer>
  );
}

interface RevisitValues {
  opinion?: Opinion;
  comment?: string;
  way: ReplyWay;
  revisitedAt: Dayjs;
}

/** 回访 (R-Q5): the customer's final opinion; closing files the record in the customer's archive. */
export function RevisitDrawer({
  open,
  c,
  onClose,
  onDone,
}: {
  open: boolean;
  c: Case;
  onClose: () => void;
  onDone: (c: Case) => void;
}) {
  const t = useT();
  const label = useLabel();
  const [form] = Form.useForm<RevisitValues>();
  const step = useStep(onDone);
  return (
    <FormDrawer
      open={open}
      title={`${t('cases.action.revisit')}：${c.number}`}
      size={560}
      form={form}
      saving={step.saving}
      error={step.error}
      onClose={onClose}
      afterClose={() => step.setError(null)}
      saveText={t('cases.revisit.save')}
    >
      <Form<RevisitValues>
        name="revisit"
        form={form}
        layout="vertical"
        preserve={false}
        autoComplete="off"
        initialValues={{ way: 'phone', revisitedAt: dayjs() }}
        onFinish={(v) =>
          step.run(
            form,
            () =>
              casesApi.revisit(c.id, {
                opinion: v.opinion as Opinion,
                comment: text(v.comment),
                way: v.way,
                revisitedAt: instant(v.revisitedAt),
              }),
            t('cases.done.revisited'),
          )
        }
      >
        <Typography.Paragraph type="secondary">{t('cases.revisit.help')}</Typography.Paragraph>
        <Form.Item
          name="opinion"
          label={t('cases.field.opinion')}
          rules={[{ required: true, message: t('cases.revisit.pickOpinion') }]}
        >
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={OPINIONS.map((o) => ({ value: o, label: label(OPINION_LABELS[o]) }))}
          />
        </Form.Item>
        <Form.Item name="comment" label={t('cases.field.opinionComment')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
        <WayField />
        {whenField(t, 'revisitedAt', 'cases.field.revisitedAt')}
      </Form>
    </FormDrawer>
  );
}

/** 添加附件: one file, uploaded with a progress bar. */
export function FileDrawer({
  open,
  c,
  onClose,
  onDone,
}: {
  open: boolean;
  c: Case;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <FormDrawer
      open={open}
      title={`${t('cases.files.add')}：${c.number}`}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => {
        setFile(null);
        setError(null);
        setProgress(null);
      }}
      saveText={t('cases.files.upload')}
    >
      <Form
        form={form}
        onFinish={async () => {
          if (!file) {
            setError(t('cases.files.pick'));
            return;
          }
          setSaving(true);
          setError(null);
          try {
            setProgress(0);
            await casesApi.upload(c.id, file, setProgress);
            message.success(t('cases.files.uploaded', { name: file.name }));
            onDone();
          } catch (e) {
            setError(formErrorText(form, e));
          } finally {
            setSaving(false);
            setProgress(null);
          }
        }}
      >
        <Typography.Paragraph type="secondary">{t('cases.files.help')}</Typography.Paragraph>
        <FilePicker file={file} onChange={setFile} progress={progress} />
      </Form>
    </FormDrawer>
  );
}
