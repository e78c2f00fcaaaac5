import { Alert, App, DatePicker, Flex, Form, Input, Radio, Skeleton, Statistic, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import type { FieldError } from '../../../common/errors';
import type { SurveyInvitation, SurveyResponse, SurveyTemplate } from '../../../common/schemas/surveys';
import {
  SURVEY_CHANNEL_LABELS,
  SURVEY_LEVEL_LABELS,
  SURVEY_LEVELS,
  type SurveyLevel,
  scoreResponse,
} from '../../../common/surveys';
import { todayInShanghai } from '../../../common/time';
import { errorText, isApiError } from '../../api/client';
import { surveysApi } from '../../api/surveys';
import { FormDrawer } from '../../components/FormDrawer';
import { useLabel, useT } from '../../i18n';
import { questionOf } from './forms';
import { useTemplate } from './shared';

// 录入答卷: an answer given on the phone or on a paper form, typed in by staff. Each question of
// the campaign's template version, the index computed as it is filled in (the same scoring the
// server applies), and the server's problems shown at the questions they concern.

interface Values {
  channel: 'phone' | 'paper';
  contactName?: string;
  answeredOn: Dayjs;
  a: Record<string, string | undefined>;
}

function answersOf(template: SurveyTemplate, a: Values['a'] | undefined) {
  return template.questions.map((q) => {
    const v = a?.[q.key];
    return q.type === 'text'
      ? { key: q.key, level: null, text: v?.trim() ? v.trim() : null }
      : { key: q.key, level: (v as SurveyLevel | undefined) ?? null, text: null };
  });
}

export function ResponseEntryDrawer({
  invitation,
  templateId,
  onClose,
  onDone,
}: {
  invitation: SurveyInvitation | null;
  templateId: string;
  onClose: () => void;
  onDone: (response: SurveyResponse) => void;
}) {
  const t = useT();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { template, error: templateError } = useTemplate(templateId);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const watched = Form.useWatch('a', form);

  // The index so far: every question counted as optional, so that a half-filled form scores too.
  const live = useMemo(() => {
    if (!template) return null;
    const questions = template.questions.map((q) => ({ ...q, required: false }));
    const r = scoreResponse(questions, template.levelScores, answersOf(template, watched));
    const rated = template.questions.filter((q) => q.type === 'rating');
    const answered = rated.filter((q) => watched?.[q.key]).length;
    return {
      index: r.ok ? r.value.index : null,
      anyPoor: r.ok && r.value.anyPoor,
      answered,
      of: rated.length,
    };
  }, [template, watched]);

  const submit = async (v: Values) => {
    if (!invitation || !template) return;
    setSaving(true);
    setError(null);
    const answers = answersOf(template, v.a);
    try {
      const response = await surveysApi.respond(invitation.id, {
        channel: v.channel,
        contactName: v.contactName?.trim() ? v.contactName.trim() : null,
        answeredOn: v.answeredOn.format('YYYY-MM-DD'),
        answers,
      });
      message.success(t('surveys.entry.saved'));
      onDone(response);
    } catch (e) {
      setError(placeErrors(e, answers, new Set(template.questions.map((q) => q.key))));
    } finally {
      setSaving(false);
    }
  };

  /** Puts each field error under its question or field; returns the text for the rest. */
  const placeErrors = (e: unknown, sent: { key: string }[], keys: Set<string>): string | null => {
    if (!isApiError(e)) return errorText(e);
    const byName = new Map<string, string[]>();
    const rest: FieldError[] = [];
    for (const fe of e.errors) {
      const key = questionOf(fe.field, sent, keys);
      const name = key
        ? `a.${key}`
        : ['channel', 'contactName', 'answeredOn'].includes(fe.field)
          ? fe.field
          : null;
      if (name) byName.set(name, [...(byName.get(name) ?? []), fe.message]);
      else rest.push(fe);
    }
    form.setFields(
      [...byName.entries()].map(([name, errors]) => ({ name: name.split('.') as ['a', string], errors })),
    );
    const first = [...byName.keys()][0];
    if (first) form.scrollToField(first.split('.') as ['a', string], { block: 'center' });
    if (e.errors.length > 0 && rest.length === 0) return t('surveys.entry.fixFields');
    return errorText(e, rest);
  };

  const levelOptions = SURVEY_LEVELS.map((l) => ({ value: l, label: label(SURVEY_LEVEL_LABELS[l]) }));
  return (
    <FormDrawer
      open={!!invitation}
      title={invitation ? `${t('surveys.entry.title')} · ${invitation.customer.name}` : ''}
      size={560}
      form={form}
      saving={saving}
      error={error}
      onClose={onClose}
      afterClose={() => {
        form.resetFields();
        setError(null);
      }}
    >
      {templateError && <Alert type="error" showIcon title={templateError} />}
      {!template ? (
        <Skeleton active />
      ) : (
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{
            channel: 'phone',
            contactName: invitation?.contactName ?? undefined,
            answeredOn: dayjs(todayInShanghai()),
            a: {},
          }}
          data-testid="response-entry-form"
        >
          <Alert
            type={live?.anyPoor ? 'warning' : 'info'}
            style={{ marginBottom: 16 }}
            title={
              <Flex justify="space-between" align="center" wrap gap={8}>
                <Statistic
                  title={t('surveys.entry.liveIndex')}
                  value={live?.index === null || live?.index === undefined ? '—' : live.index.toFixed(1)}
                />
                <Typography.Text type="secondary" aria-live="polite">
                  {t('surveys.entry.answered', { n: live?.answered ?? 0, of: live?.of ?? 0 })}
                  {live?.anyPoor ? ` · ${t('surveys.entry.poorWarning')}` : ''}
                </Typography.Text>
              </Flex>
            }
          />
          <Form.Item name="channel" label={t('surveys.field.channel')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              options={(['phone', 'paper'] as const).map((c) => ({
                value: c,
                label: label(SURVEY_CHANNEL_LABELS[c]),
              }))}
            />
          </Form.Item>
          <Flex gap={16}>
            <Form.Item name="contactName" label={t('surveys.field.contact')} style={{ flex: 1 }}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item
              name="answeredOn"
              label={t('surveys.field.answeredOn')}
              rules={[{ required: true }]}
              style={{ flex: 1 }}
            >
              <DatePicker
                style={{ width: '100%' }}
                allowClear={false}
                disabledDate={(d) => d.isAfter(dayjs(todayInShanghai()), 'day')}
              />
            </Form.Item>
          </Flex>
          <Typography.Title level={5}>
            {template.name} v{template.version}
          </Typography.Title>
          {template.questions.map((q, i) => (
            <Form.Item
              key={q.key}
              name={['a', q.key]}
              label={`${i + 1}. ${q.label}`}
              rules={
                q.required
                  ? [
                      {
                        required: true,
                        whitespace: q.type === 'text',
                        message: q.type === 'text' ? t('common.required') : t('surveys.entry.pickLevel'),
                      },
                    ]
                  : undefined
              }
              data-testid={`question-${q.key}`}
            >
              {q.type === 'text' ? (
                <Input.TextArea rows={3} maxLength={2000} />
              ) : (
                <Radio.Group optionType="button" options={levelOptions} />
              )}
            </Form.Item>
          ))}
        </Form>
      )}
    </FormDrawer>
  );
}
